// Placeholder entry so `electron-vite build` works; the real shell lands next.
export {};
