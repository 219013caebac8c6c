#!/bin/sh
# Stops a workflow before it builds or publishes anything when the source repository is public.
# The sources hold every facilitator-only text (facilitator.md, answer keys, facilitator notes), so a
# public repository publishes them whatever the build keeps out of site/. A catalog whose
# facilitator material is meant to be open says so in mkdocs.yml, where the change is reviewed in a
# pull request like any other:
#   extra:
#     peerpress:
#       public_sources: true
# REPO_PRIVATE is github.event.repository.private ("true" or "false"); the first argument is the
# mkdocs.yml to read (default: ./mkdocs.yml).
set -eu
config="${1:-mkdocs.yml}"
if [ "${REPO_PRIVATE:-}" = "true" ]; then
  echo "visibility: private repository; the facilitator sources are not public."
  exit 0
fi
if grep -Eq '^[[:space:]]+public_sources:[[:space:]]*true[[:space:]]*(#.*)?$' "$config"; then
  echo "visibility: public repository with extra.peerpress.public_sources: true; facilitator material is open on purpose."
  exit 0
fi
echo "::error::This repository is public, so its facilitator-only sources (facilitator.md, answer keys, facilitator notes) are readable by anyone and the site cannot keep them confidential. Make the repository private, or, if the facilitator material is meant to be open, set extra.peerpress.public_sources: true in mkdocs.yml. Nothing was built or published."
exit 1
