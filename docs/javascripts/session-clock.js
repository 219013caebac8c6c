/* peerpress session clock: the agenda as a timer for the room. Runs only on a page that has the
   agenda list (.pp-clock); reads it from the page, so it needs nothing from the network. */
(function () {
  "use strict";

  function start(root) {
    var items = Array.prototype.map.call(root.querySelectorAll(".pp-clock-items > li"), function (li) {
      return {
        title: li.querySelector(".pp-clock-item-title").textContent,
        method: li.querySelector(".pp-clock-item-method").textContent,
        seconds: parseInt(li.getAttribute("data-minutes"), 10) * 60
      };
    });
    if (!items.length) { return; }
    var state = { index: 0, left: items[0].seconds, running: false, last: null, timer: null };
    var view = {
      step: root.querySelector(".pp-clock-step"),
      title: root.querySelector(".pp-clock-title"),
      method: root.querySelector(".pp-clock-method"),
      left: root.querySelector(".pp-clock-left"),
      next: root.querySelector(".pp-clock-next"),
      toggle: root.querySelector(".pp-clock-toggle"),
      back: root.querySelector(".pp-clock-back"),
      forward: root.querySelector(".pp-clock-forward"),
      full: root.querySelector(".pp-clock-full")
    };

    function clock(seconds) {
      var sign = seconds < 0 ? "−" : "";
      var s = Math.abs(seconds);
      return sign + Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
    }

    function render() {
      var item = items[state.index];
      var next = items[state.index + 1];
      view.step.textContent = "Item " + (state.index + 1) + " of " + items.length;
      view.title.textContent = item.title;
      view.method.textContent = item.method;
      view.left.textContent = clock(state.left);
      view.left.setAttribute("aria-label", (state.left < 0 ? "over time by " : "time left ") +
        clock(Math.abs(state.left)));
      view.next.textContent = next ? "Next: " + next.title + " (" + next.seconds / 60 + " min)" : "Last item";
      view.toggle.textContent = state.running ? "Pause" : (state.left === item.seconds ? "Start" : "Resume");
      view.back.disabled = state.index === 0;
      view.forward.disabled = state.index === items.length - 1;
      root.classList.toggle("pp-clock-over", state.left < 0);
      root.classList.toggle("pp-clock-warning", state.left >= 0 && state.left <= 120 && state.running);
    }

    function tick() {
      var now = Date.now();
      var elapsed = Math.floor((now - state.last) / 1000);
      if (elapsed > 0) {
        state.left -= elapsed;
        state.last += elapsed * 1000;
        render();
      }
    }

    function toggle() {
      state.running = !state.running;
      if (state.running) {
        state.last = Date.now();
        state.timer = window.setInterval(tick, 250);
      } else {
        tick();
        window.clearInterval(state.timer);
      }
      render();
    }

    function go(index) {
      state.index = Math.max(0, Math.min(items.length - 1, index));
      state.left = items[state.index].seconds;
      state.last = Date.now();
      render();
    }

    view.toggle.addEventListener("click", toggle);
    view.back.addEventListener("click", function () { go(state.index - 1); });
    view.forward.addEventListener("click", function () { go(state.index + 1); });
    view.full.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (root.requestFullscreen) { root.requestFullscreen(); }
    });
    root.classList.add("pp-clock-ready");
    render();
  }

  function init() {
    var root = document.querySelector(".pp-clock");
    if (root && !root.classList.contains("pp-clock-ready")) { start(root); }
  }

  // Material's instant navigation swaps pages without a reload; document$ announces each page.
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
