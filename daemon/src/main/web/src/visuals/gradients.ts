/** Colour schemes for level displays, bottom (0) to top (1). */
export const GRADIENTS: Record<string, [number, string][]> = {
  classic: [
    [0, "#1f9e4a"],
    [0.6, "#9fd63a"],
    [0.8, "#f5d33b"],
    [1, "#e8412c"],
  ],
  prism: [
    [0, "#4b3cff"],
    [0.25, "#2fa7ff"],
    [0.5, "#2fe8b0"],
    [0.75, "#f9e43b"],
    [1, "#ff4d6d"],
  ],
  rainbow: [
    [0, "#8a2be2"],
    [0.2, "#3a5bff"],
    [0.4, "#19c3e6"],
    [0.6, "#3fdc5a"],
    [0.8, "#ffd23f"],
    [1, "#ff3b30"],
  ],
  ember: [
    [0, "#3a0a12"],
    [0.4, "#b3261e"],
    [0.75, "#ff8a3d"],
    [1, "#ffe7a3"],
  ],
  ice: [
    [0, "#0b2447"],
    [0.5, "#2e8bc0"],
    [1, "#d8f3ff"],
  ],
  mono: [
    [0, "#5b6b82"],
    [1, "#e8eef7"],
  ],
};

/** A vertical gradient over `height` device pixels, top = loud. */
export function verticalGradient(
  ctx: CanvasRenderingContext2D,
  name: string,
  top: number,
  height: number,
): CanvasGradient {
  const stops = GRADIENTS[name] ?? GRADIENTS.classic;
  const g = ctx.createLinearGradient(0, top + height, 0, top);
  for (const [at, color] of stops) g.addColorStop(at, color);
  return g;
}
