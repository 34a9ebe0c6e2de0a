import assert from 'node:assert/strict';
import { collectHostInfo, meminfoBytes, osImageOf } from '../../../edge-agent/node-status/host-facts.js';

describe('host facts', () => {
  it("reads osImage from os-release's PRETTY_NAME, quoted or not, as the kubelet does", () => {
    const debian = 'NAME="Debian GNU/Linux"\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';
    assert.equal(osImageOf(debian), 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(osImageOf("PRETTY_NAME='Alpine Linux v3.20'"), 'Alpine Linux v3.20');
    assert.equal(osImageOf('PRETTY_NAME=Buildroot\\ 2024.02'), 'Buildroot 2024.02');
    assert.equal(osImageOf('NAME=Something'), '');
  });

  it('reads a /proc/meminfo field in bytes, and nothing for a field that is not there', () => {
    const meminfo = 'MemTotal:        3884700 kB\nMemFree:          512000 kB\nMemAvailable:    2048000 kB\n';
    assert.equal(meminfoBytes(meminfo, 'MemAvailable'), 2048000 * 1024);
    assert.equal(meminfoBytes(meminfo, 'MemTotal'), 3884700 * 1024);
    assert.equal(meminfoBytes(meminfo, 'SwapTotal'), undefined);
  });

  it("collects this machine's facts", async () => {
    const info = await collectHostInfo(process.cwd());
    assert.ok(info.cpuCores >= 1);
    assert.ok(info.memoryTotalBytes > 0);
    assert.ok(info.diskTotalBytes > 0);
    assert.notEqual(info.kernelVersion, '');
  });
});
