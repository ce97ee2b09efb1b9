/**
 * Sandboxed preload (bundled to out/preload/index.cjs, CommonJS): exposes `window.vigie`, the
 * RawBridge of shared/api/bridge.ts, and nothing else. It imports only the name lists, never
 * the zod contract: a sandboxed preload cannot require npm packages.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createRawBridge } from './raw-bridge';

contextBridge.exposeInMainWorld('vigie', createRawBridge(ipcRenderer));
