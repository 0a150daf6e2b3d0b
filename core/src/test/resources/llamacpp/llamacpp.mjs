// Drives llama.cpp (the prebuilt CPU library of node-llama-cpp) on a GGUF file for Lasermesh's tests.
//   node llamacpp.mjs logits MODEL.gguf IDS.json OUT.json VOCAB   raw logits (VOCAB of them) of every position
//                                                   of one window of ids (teacher forcing, one sequence, context = window)
//   node llamacpp.mjs tokenize MODEL.gguf TEXT.txt OUT.json  llama.cpp's token ids of the text (no BOS added)
// NLC_DIR names the folder whose node_modules holds node-llama-cpp. OUT.json also records llama.cpp's BOS and EOS.
import { createRequire } from 'module';
import fs from 'fs';

const require = createRequire(process.env.NLC_DIR + '/');
const { getLlama, LlamaLogLevel } = await import(require.resolve('node-llama-cpp'));
const [mode, modelPath, inputPath, outPath, vocabSize] = process.argv.slice(2);
const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const out = { bos: model.tokens.bos, eos: model.tokens.eos };
if (mode === 'logits') {
  const ids = JSON.parse(fs.readFileSync(inputPath, 'utf8'));
  const ctx = await model.createContext({ contextSize: ids.length, batchSize: ids.length, sequences: 1, threads: 1 });
  const results = await ctx.getSequence().controlledEvaluate(ids.map((t) => [t, { generateNext: { logits: true } }]));
  out.logits = results.map((r) => {
    const row = new Array(Number(vocabSize)).fill(null);
    for (const [token, value] of r.next.logits) row[token] = value;
    return row;
  });
  await ctx.dispose();
} else if (mode === 'tokenize') {
  out.ids = Array.from(model.tokenize(fs.readFileSync(inputPath, 'utf8'), false));
} else {
  throw new Error('unknown mode ' + mode);
}
fs.writeFileSync(outPath, JSON.stringify(out));
await model.dispose();
await llama.dispose();
