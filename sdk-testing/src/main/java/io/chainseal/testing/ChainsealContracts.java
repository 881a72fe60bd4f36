package io.chainseal.testing;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.EvmSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.DevAccount;
import io.chainseal.testkit.LocalChain;
import io.chainseal.wallet.ChannelContract;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Chainseal's contracts on a local chain, deployed by {@link #deploy(LocalChain)} in one call.
 *
 * <pre>{@code
 * ChainsealContracts contracts = ChainsealContracts.deploy(chain);
 * Chainseal.builder().rpc(chain.rpcUrl()).chainId(chain.chainId())
 *     .anchorContract(contracts.anchor().address(), contracts.anchorDeploymentBlock())
 *     .publisherKey(contracts.publisher().signingKey()) ...
 * }</pre>
 *
 * @param anchor the anchor contract (open to any publisher), owned by the publisher
 * @param channels the payment-channel contract
 * @param token an ERC-20 "Test Dollar" (TUSD, 6 decimals) whose whole supply,
 *     {@link #TOKEN_SUPPLY}, belongs to {@code tokenHolder}
 * @param publisher the account that anchors: account 1
 * @param tokenHolder the account holding the token: account 0
 */
public record ChainsealContracts(AnchorContract anchor, ChannelContract channels, EvmAddress token, DevAccount publisher,
    DevAccount tokenHolder) {
  /** The test token's supply in its smallest unit: one million dollars of 6 decimals. */
  public static final BigInteger TOKEN_SUPPLY = BigInteger.TEN.pow(12);

  public ChainsealContracts {
    Objects.requireNonNull(anchor, "anchor == null");
    Objects.requireNonNull(channels, "channels == null");
    Objects.requireNonNull(token, "token == null");
    Objects.requireNonNull(publisher, "publisher == null");
    Objects.requireNonNull(tokenHolder, "tokenHolder == null");
  }

  /**
   * Deploys the anchor contract (from account 1, the publisher), the payment-channel contract and a
   * test ERC-20 held by account 0, and waits for each.
   *
   * @throws io.chainseal.testkit.LocalChainException if a deployment fails
   * @throws io.chainseal.chain.ChainException if the node cannot be reached
   */
  public static ChainsealContracts deploy(LocalChain chain) {
    DevAccount publisher = chain.account(1);
    DevAccount holder = chain.account(0);
    try (ChainClient client = ChainClient.http(chain.rpcUrl());
        SigningKey publisherKey = publisher.signingKey();
        SigningKey holderKey = holder.signingKey()) {
      AnchorContract anchor = AnchorContract.deploy(client, publisherKey, false);
      ChannelContract channels = ChannelContract.deploy(client, EvmSigner.of(holderKey));
      EvmAddress token = chain.deployToken(holder, "Test Dollar", "TUSD", 6, TOKEN_SUPPLY);
      return new ChainsealContracts(anchor, channels, token, publisher, holder);
    }
  }

  /** The block the anchor contract was created in: where a verifier's log scan starts. */
  public long anchorDeploymentBlock() {
    return anchor.deploymentBlock().orElse(0);
  }
}
