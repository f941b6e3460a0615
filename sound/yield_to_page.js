// Give the page a turn: end the current task so the reader's scrolling, input and painting run
// before the rest of a long piece of work (a piece's compile, its first query, its swap), so each
// part stays within a frame instead of adding up to one long task. scheduler.yield keeps our
// place at the front of the queue where the browser has it; otherwise a message through a channel
// (setTimeout would be clamped to 4 ms once nested).
export function yieldToPage() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
