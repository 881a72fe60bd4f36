package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.ContractArtifact;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** The {@link ChainClientContract} on the Web3j client against a real node (Anvil). */
@WithLocalChain
@Tag("slow")
class Web3jChainClientTest extends ChainClientContract {
  private LocalChain local;
  private ChainClient client;
  private EvmAddress emitter;

  @BeforeEach
  void connect(LocalChain local) {
    this.local = local;
    this.client = ChainClient.http(local.rpcUrl());
    this.emitter = local.deploy(ContractArtifact.fromClasspath(ContractArtifact.IMPOSTOR_ANCHOR), local.account(0)).address();
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  @Override
  protected ChainClient client() {
    return client;
  }

  @Override
  protected SigningKey funded() {
    return local.account(4).signingKey();
  }

  @Override
  protected EvmAddress emitter() {
    return emitter;
  }

  @Override
  protected void mine() {
    local.mine();
  }

  @Override
  protected void automine(boolean on) {
    local.setAutomine(on);
  }
}
