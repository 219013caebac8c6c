"""How the `peerpress` command tells the hooks what to build: MkDocs loads the hooks itself, so
settings travel in environment variables."""

WORKBOOKS_ENV = "PEERPRESS_WORKBOOKS"  # "1": pages link to the workbooks (the build renders them)
SERVE_PDF_ENV = "PEERPRESS_SERVE_PDF"  # "1": `mkdocs serve` renders participant workbooks itself
PREVIEW_ENV = "PEERPRESS_PREVIEW"  # "facilitator": `mkdocs serve` shows the facilitator edition
