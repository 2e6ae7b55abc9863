// DOM pieces shared by the plots: the canvas and its tooltip, tooltip placement, pointer
// coordinates and a once-per-frame redraw.

/** A focusable canvas filling its parent, and a tooltip to put beside it. */
export function canvasAndTooltip(tooltipStyle = {}) {
  const canvas = document.createElement("canvas");
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "img");
  Object.assign(canvas.style, { display: "block", width: "100%", height: "100%", touchAction: "none" });
  const tooltip = document.createElement("div");
  tooltip.className = "huntkit-tooltip";
  tooltip.setAttribute("role", "tooltip");
  Object.assign(tooltip.style, {
    position: "absolute",
    pointerEvents: "none",
    display: "none",
    whiteSpace: "pre",
    font: "12px sans-serif",
    background: "rgba(255,255,255,0.95)",
    border: "1px solid #999",
    borderRadius: "3px",
    padding: "4px 6px",
    color: "#222",
    zIndex: 1,
    ...tooltipStyle,
  });
  return { canvas, tooltip };
}

/** Shows `lines` (as text, never markup) near (x, y), kept inside a w × h area. */
export function showTooltip(tooltip, lines, x, y, w, h) {
  tooltip.textContent = lines.join("\n");
  tooltip.style.display = "block";
  const left = x + 14 + tooltip.offsetWidth > w ? x - 14 - tooltip.offsetWidth : x + 14;
  const top = y + 14 + tooltip.offsetHeight > h ? y - 14 - tooltip.offsetHeight : y + 14;
  tooltip.style.left = `${Math.max(0, left)}px`;
  tooltip.style.top = `${Math.max(0, top)}px`;
}

/** A pointer event's position in CSS px relative to `canvas`. */
export function localPoint(canvas, ev) {
  const r = canvas.getBoundingClientRect();
  return [ev.clientX - r.left, ev.clientY - r.top];
}

/** `draw()` paints once at the next animation frame; `drawNow()` at once; `cancel()` drops a pending one. */
export function frameScheduler(paint) {
  let frame = 0;
  const cancel = () => {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
  };
  return {
    draw() {
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          paint();
        });
      }
    },
    drawNow() {
      cancel();
      paint();
    },
    cancel,
  };
}

/** How long a plot may stay out of the page before it frees itself, ms. */
export const DETACHED_GRACE_MS = 1000;

/**
 * Adds `listeners` (type → handler) to `canvas`, runs `onResize(w, h)` when `observed` changes
 * size, and `onGone()` when `observed`, once in the page, has been out of it for
 * {@link DETACHED_GRACE_MS} (an Observable cell re-run, a framework unmount: the plot frees its
 * wasm memory then; moving it elsewhere within the grace period keeps it). Returns a function
 * that undoes all of it.
 */
export function attach(canvas, listeners, observed, onResize, onGone) {
  for (const [type, fn] of Object.entries(listeners)) {
    canvas.addEventListener(type, fn, type === "wheel" ? { passive: false } : undefined);
  }
  let seen = false;
  let timer = 0;
  const observer = new ResizeObserver(() => {
    if (observed.isConnected) {
      seen = true;
      clearTimeout(timer);
      timer = 0;
      onResize(Math.max(1, observed.clientWidth), Math.max(1, observed.clientHeight));
    } else if (seen && !timer && onGone) {
      timer = setTimeout(() => {
        timer = 0;
        if (!observed.isConnected) onGone();
      }, DETACHED_GRACE_MS);
    }
  });
  observer.observe(observed);
  return () => {
    clearTimeout(timer);
    observer.disconnect();
    for (const [type, fn] of Object.entries(listeners)) canvas.removeEventListener(type, fn);
  };
}

/** Checks a plot function's `element` argument: a DOM element, or null for a detached plot. */
export function checkContainer(name, element) {
  if (element != null && typeof element.appendChild !== "function") {
    throw new TypeError(`${name}: \`element\` must be a DOM element to draw into, or null (the plot's \`element\` is then yours to place)`);
  }
}
