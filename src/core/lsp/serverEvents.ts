import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { monotonicMs } from '../probes/clock';
import { matchGoTooOld } from './goplsMessages';
import type { GoplsHandshakeMessage, GoplsHandshakeResult } from './handshakeTypes';
import type { LspConnection } from './lspConnection';

const MAX_MESSAGES = 50;
const MAX_MESSAGE_CHARS = 4_000;
const MAX_DIAGNOSTIC_FILES = 500;

const MESSAGE_TYPES: Record<number, GoplsHandshakeMessage['type']> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'log' };

/** What gopls sends on its own: requests we answer, messages, diagnostics, workspace-load progress. */
export class ServerEvents {
  readonly diagnostics = new Map<string, number>();
  firstDiagnosticsAt: number | undefined;
  lastDiagnosticsAt = 0;
  readonly load: { token?: string | number; beganAt?: number; endedAt?: number; endMessage?: string } = {};
  readonly folderUri: string;
  readonly folderName: string;
  private wake: () => void = () => {};

  constructor(
    readonly connection: LspConnection,
    folder: string,
    private readonly result: GoplsHandshakeResult,
  ) {
    this.folderUri = pathToFileURL(folder).href;
    this.folderName = path.basename(folder);
    connection.onRequest((method: string, params: unknown) => this.answer(method, params));
    connection.onNotification((method: string, params: unknown) => {
      this.notified(method, params);
      this.wake();
    });
    connection.onProgress((params) => {
      this.progress(params.token, (params.value ?? {}) as { kind?: string; title?: string; message?: string });
      this.wake();
    });
  }

  /** Resolves at the next thing gopls sends. */
  nextEvent(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private answer(method: string, params: unknown): unknown {
    const p = (params ?? {}) as { items?: unknown[]; type?: number; message?: string };
    switch (method) {
      case 'workspace/configuration':
        return (Array.isArray(p.items) ? p.items : []).map(() => ({}));
      case 'workspace/workspaceFolders':
        return [{ uri: this.folderUri, name: this.folderName }];
      case 'window/showMessageRequest':
        this.addMessage(p.type, p.message);
        return null;
      default:
        // window/workDoneProgress/create, client/registerCapability, client/unregisterCapability…
        return null;
    }
  }

  private notified(method: string, params: unknown): void {
    const p = (params ?? {}) as { type?: number; message?: string; uri?: string; diagnostics?: unknown[] };
    if (method === 'window/showMessage') {
      this.addMessage(p.type, p.message);
    } else if (method === 'window/logMessage') {
      if (p.type === 1) this.addMessage(1, p.message);
    } else if (method === 'textDocument/publishDiagnostics' && typeof p.uri === 'string') {
      const now = monotonicMs();
      this.firstDiagnosticsAt ??= now;
      this.lastDiagnosticsAt = now;
      if (this.diagnostics.has(p.uri) || this.diagnostics.size < MAX_DIAGNOSTIC_FILES) {
        this.diagnostics.set(p.uri, Array.isArray(p.diagnostics) ? p.diagnostics.length : 0);
      }
    }
  }

  private progress(token: string | number, value: { kind?: string; title?: string; message?: string }): void {
    const load = this.load;
    // gopls/internal/server/general.go@gopls/v0.23.0: title "Setting up workspace", begin message
    // "Loading packages...", end "Finished loading packages." or "Error loading packages: …".
    if (
      value.kind === 'begin' &&
      load.token === undefined &&
      /setting up workspace|loading packages/i.test(`${value.title ?? ''} ${value.message ?? ''}`)
    ) {
      load.token = token;
      load.beganAt = monotonicMs();
    } else if (value.kind === 'end' && load.token !== undefined && token === load.token && load.endedAt === undefined) {
      load.endedAt = monotonicMs();
      load.endMessage = value.message ?? '';
    }
  }

  private addMessage(type: number | undefined, text: unknown): void {
    if (typeof text !== 'string') return;
    if (matchGoTooOld(text) && this.result.goTooOld === undefined) this.result.goTooOld = text;
    if (this.result.messages.length >= MAX_MESSAGES) return;
    this.result.messages.push({
      type: MESSAGE_TYPES[type ?? 3] ?? 'info',
      text: text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text,
    });
  }
}
