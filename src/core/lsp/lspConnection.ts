import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Message,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { PipedProcess } from '../probes/pipedProcess';

/**
 * vscode-jsonrpc 8.2.1 sendRequest rethrows a failed write from inside a `new Promise(async …)`
 * executor, which nobody can catch (an unhandled rejection, e.g. EPIPE when gopls has just died).
 * Swallow write errors here: the exit event or the closed connection reports what happened.
 */
class QuietStreamWriter extends StreamMessageWriter {
  override async write(msg: Message): Promise<void> {
    try {
      await super.write(msg);
    } catch {
      // reported by the process exit / connection close
    }
  }
}

/** LSP over gopls's standard streams (vscode-jsonrpc's Content-Length framing), with its own logging silenced. */
export function openLspConnection(gopls: PipedProcess): MessageConnection {
  return createMessageConnection(new StreamMessageReader(gopls.stdout), new QuietStreamWriter(gopls.stdin), {
    error: () => {},
    warn: () => {},
    info: () => {},
    log: () => {},
  });
}
