package io.chainseal.anchor;

import io.chainseal.chain.FakeChain;

/** Mines a block on a {@link FakeChain} every few milliseconds until closed, as interval mining does. */
final class FakeMiner implements AutoCloseable {
  private final Thread thread;
  private volatile boolean mining = true;

  FakeMiner(FakeChain chain) {
    thread = new Thread(() -> {
      while (mining) {
        chain.mine();
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "test-miner");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    mining = false;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
