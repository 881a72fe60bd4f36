package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.util.Arrays;
import java.util.List;

/** The {@link ChainClientContract} on the in-memory {@link FakeChain}. */
class FakeChainClientTest extends ChainClientContract {
  private static final SigningKey KEY = SigningKey.secp256k1(Hash32.fromHex("0102".repeat(16)).bytes());
  private static final EvmAddress EMITTER = EvmAddress.fromHex("0x" + "e1".repeat(20));

  private final FakeChain chain = new FakeChain(31337).deploy(EMITTER, FakeChainClientTest::forgeProgram);

  /** What ImpostorAnchor.forge does: an Anchored log from the call's five ABI words. */
  static List<FakeChain.LogSpec> forgeProgram(EvmAddress from, byte[] data) {
    Hash32 publisher = Hash32.of(Arrays.copyOfRange(data, 4, 36));
    Hash32 root = Hash32.of(Arrays.copyOfRange(data, 36, 68));
    byte[] treeSize = Arrays.copyOfRange(data, 68, 100);
    Hash32 sequence = Hash32.of(Arrays.copyOfRange(data, 100, 132));
    byte[] previous = Arrays.copyOfRange(data, 132, 164);
    byte[] logData = new byte[64];
    System.arraycopy(treeSize, 0, logData, 0, 32);
    System.arraycopy(previous, 0, logData, 32, 32);
    return List.of(new FakeChain.LogSpec(List.of(ANCHORED, publisher, root, sequence), logData));
  }

  @Override
  protected ChainClient client() {
    return chain;
  }

  @Override
  protected SigningKey funded() {
    return KEY;
  }

  @Override
  protected EvmAddress emitter() {
    return EMITTER;
  }

  @Override
  protected void mine() {
    chain.mine();
  }

  @Override
  protected void automine(boolean on) {
    chain.automine(on);
  }
}
