// Runs every case of the shared recovery vectors (clients/test-vectors/recovery.json) against LogSequencer.
// The Java client's LogSequencerVectorsTest runs the same file.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LogSequencer } from '../src/sequencer.js';

const vectors = JSON.parse(readFileSync(new URL('../../test-vectors/recovery.json', import.meta.url), 'utf8'));

/** 'e1:5' -> {epoch: 'e1', offset: 5} */
function parse(text) {
  const colon = text.lastIndexOf(':');
  return { epoch: text.slice(0, colon), offset: Number(text.slice(colon + 1)) };
}

const show = (p) => `${p.epoch}:${p.offset}`;

/** A message object of `log` at `at`, as the server would send it. */
function message(log, at) {
  const { epoch, offset } = parse(at);
  const msg = { id: `${log}@${at}`, from: 'someone', ts: 0, epoch, offset, body: at };
  if (log === 'inbox') msg.to = 'me';
  else msg.room = log.slice('room:'.length);
  return msg;
}

function run(steps) {
  const sequencer = new LogSequencer();
  const out = [];
  const deliver = (log, msg) => out.push(`deliver ${log} ${msg.epoch}:${msg.offset}`);
  for (const step of steps) {
    switch (step.op) {
      case 'begin':
        sequencer.begin(step.log);
        break;
      case 'live': {
        const msg = message(step.log, step.at);
        if (sequencer.live(step.log, msg)) deliver(step.log, msg);
        break;
      }
      case 'result': {
        const result = step.at === undefined ? {} : { ...parse(step.at) };
        if (step.recovered !== undefined) result.recovered = step.recovered;
        if (step.messages !== undefined) result.messages = step.messages.map((at) => message(step.log, at));
        if (step.unacked !== undefined) result.unacked = step.unacked.map((at) => message(step.log, at));
        const { recovery, deliver: messages } = sequencer.complete(step.log, result);
        if (recovery) {
          out.push(`recovery ${step.log} recovered=${recovery.recovered} from=${show(recovery.from)} to=${show(recovery.to)} replayed=${recovery.messages.length}`);
        }
        for (const msg of messages) deliver(step.log, msg);
        break;
      }
      case 'abort':
        sequencer.abort(step.log);
        break;
      case 'forget':
        sequencer.forget(step.log);
        break;
      case 'connectionLost':
        sequencer.connectionLost();
        break;
      default:
        throw new Error(`unknown op ${step.op}`);
    }
  }
  const positions = Object.fromEntries([...sequencer.positions()].map(([log, p]) => [log, show(p)]));
  return { out, positions, duplicates: sequencer.duplicatesDropped, gaps: sequencer.gaps };
}

test('the vector file has cases', () => {
  assert.equal(vectors.format, 1);
  assert.ok(vectors.cases.length >= 10);
});

for (const vector of vectors.cases) {
  test(`vector: ${vector.name}`, () => {
    const { out, positions, duplicates, gaps } = run(vector.steps);
    assert.deepEqual(out, vector.expect);
    assert.deepEqual(positions, vector.positions);
    assert.equal(duplicates, vector.duplicates, 'duplicates');
    assert.equal(gaps, vector.gaps, 'gaps');
  });
}
