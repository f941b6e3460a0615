// Both engines stream OpenAI-style chat completion chunks: this gathers the text (passing each
// piece on to onToken), the finish reason, usage and (wllama's) llama.cpp timings.

export function chatStream(onToken) {
  const got = { text: "", finish: null, usage: null, timings: null };
  got.add = (chunk) => {
    const choice = chunk.choices?.[0];
    const delta = choice?.delta?.content || "";
    if (delta) {
      got.text += delta;
      onToken(delta);
    }
    if (choice?.finish_reason) got.finish = choice.finish_reason;
    if (chunk.usage) got.usage = chunk.usage;
    if (chunk.timings) got.timings = chunk.timings;
  };
  return got;
}
