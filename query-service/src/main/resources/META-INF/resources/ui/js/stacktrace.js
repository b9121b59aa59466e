// A stack trace as frames: the project's own frames shown and emphasised, runs of library frames collapsed.
// Project and library frames are told apart as query-service's failure signatures do (failures/signature/Frames).
import { el } from './dom.js';

const PYTHON_LIBRARIES = new Set(['torch', 'torchvision', 'torchaudio', 'tensorflow', 'keras', 'tf_keras', 'jax',
  'jaxlib', 'flax', 'optax', 'sklearn', 'xgboost', 'lightgbm', 'transformers', 'accelerate', 'datasets', 'tokenizers',
  'safetensors', 'peft', 'lightning', 'pytorch_lightning', 'lightning_fabric', 'deepspeed', 'ray', 'numpy', 'pandas',
  'scipy', 'apex', 'triton', 'horovod']);
const JVM_LIBRARIES = ['java.', 'javax.', 'jdk.', 'sun.', 'com.sun.', 'scala.', 'kotlin.', 'org.apache.',
  'org.springframework.', 'org.opensearch.', 'org.elasticsearch.', 'com.google.', 'com.fasterxml.', 'io.netty.',
  'io.vertx.', 'io.quarkus.', 'ai.djl.', 'org.deeplearning4j.', 'org.nd4j.', 'ml.dmlc.', 'org.tensorflow.', 'py4j.'];

const PYTHON_FRAME = /^\s*File "(.*)", line (\d+)(?:, in (.*))?$/;
const JVM_FRAME = /^\s*at ([^\s(]+)\((.*)\)\s*$/;

/** Whether a Python file is the project's own code (not installed, not the standard library, not a known package). */
export function isPythonAppFile(file) {
  const path = file.replace(/\\/g, '/');
  if (path.startsWith('<')) return false;
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    if (segments[i] === 'site-packages' || segments[i] === 'dist-packages') return false;
    if (PYTHON_LIBRARIES.has(segments[i]) && i < segments.length - 1) return false;
    if (segments[i] === 'lib' && /^python\d+(\.\d+)?$/.test(segments[i + 1] || '')) return false;
  }
  return true;
}

/** Whether a JVM method (`module/pkg.Class.method`) is the project's own code. */
export function isJvmAppMethod(method) {
  const qualified = method.slice(method.lastIndexOf('/') + 1);
  return !JVM_LIBRARIES.some((prefix) => qualified.startsWith(prefix));
}

/**
 * The trace as a list of items: { kind: 'frame', location, code, app } for frames (a Python frame's source line
 * as its code), { kind: 'text', text } for everything else (headers, exception lines, "Caused by: ...").
 */
export function parseTrace(trace) {
  const items = [];
  const lines = String(trace || '').replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const python = line.match(PYTHON_FRAME);
    if (python) {
      const next = lines[i + 1];
      const hasCode = next !== undefined && /^\s{4,}\S/.test(next) && !PYTHON_FRAME.test(next);
      items.push({ kind: 'frame', location: line.trim(), code: hasCode ? next.trim() : '', app: isPythonAppFile(python[1]) });
      if (hasCode) i++;
      continue;
    }
    const jvm = line.match(JVM_FRAME);
    if (jvm) {
      items.push({ kind: 'frame', location: line.trim(), code: '', app: isJvmAppMethod(jvm[1]) });
      continue;
    }
    if (line.trim() !== '' || items.length > 0) items.push({ kind: 'text', text: line });
  }
  while (items.length && items[items.length - 1].kind === 'text' && items[items.length - 1].text.trim() === '') items.pop();
  return items;
}

function frameNode(frame) {
  return el('li', { class: frame.app ? 'frame frame-app' : 'frame frame-lib' },
    frame.app ? el('span', { class: 'frame-tag', text: 'project' }) : null,
    el('code', { class: 'frame-location', text: frame.location }),
    frame.code ? el('code', { class: 'frame-code', text: frame.code }) : null);
}

/** The rendered trace: project frames open, each run of library frames one collapsed group; the raw text below. */
export function renderTrace(trace) {
  const items = parseTrace(trace);
  const list = el('ol', { class: 'trace', 'aria-label': 'Stack trace frames' });
  let libraryRun = [];
  const flush = () => {
    if (libraryRun.length === 0) return;
    const frames = libraryRun;
    libraryRun = [];
    list.append(el('li', { class: 'frame-group' }, el('details', {},
      el('summary', { text: `${frames.length} library ${frames.length === 1 ? 'frame' : 'frames'}` }),
      el('ol', {}, frames.map(frameNode)))));
  };
  for (const item of items) {
    if (item.kind === 'frame' && !item.app) {
      libraryRun.push(item);
      continue;
    }
    flush();
    list.append(item.kind === 'frame' ? frameNode(item) : el('li', { class: 'trace-text' }, el('code', { text: item.text })));
  }
  flush();
  return el('div', { class: 'trace-view' }, list,
    el('details', { class: 'raw-trace' }, el('summary', { text: 'Raw stack trace' }), el('pre', { id: 'raw-trace', text: String(trace || '') })));
}
