"""The output folder as a store: atomic writes and the staged swap, the manifest of what it
holds, the locks, and the guard that keeps a build from writing over anything but its own output."""
