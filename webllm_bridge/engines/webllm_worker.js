// WebLLM runs here, off the page's main thread, so reading and music never stutter while it works.
import { WebWorkerMLCEngineHandler } from "../../vendor/web-llm/index.js";

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (msg) => handler.onmessage(msg);
