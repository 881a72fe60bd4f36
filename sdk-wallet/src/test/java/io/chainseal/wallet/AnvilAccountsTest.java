package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainseal.core.EvmAddress;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accounts a real node derives from its mnemonic are the ones {@link HdWallet} derives. */
@WithLocalChain
class AnvilAccountsTest {
  @Test
  void accountsZeroToNineMatchTheNodesFundedAccounts(LocalChain chain) throws Exception {
    JsonNode nodeAccounts = chain.rpc("eth_accounts");
    List<EvmAddress> fromNode = new ArrayList<>();
    nodeAccounts.forEach(node -> fromNode.add(EvmAddress.fromHex(node.asText())));
    assertEquals(10, fromNode.size());
    List<EvmAddress> derived = new ArrayList<>();
    try (HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC))) {
      for (int i = 0; i < 10; i++) {
        try (WalletKey key = wallet.account(i)) {
          derived.add(key.address());
          // Funded: the node holds a balance for each.
          assertEquals(1, chain.balance(key.address()).signum());
        }
      }
    }
    assertEquals(fromNode, derived);
  }
}
