package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.testkit.LocalChain;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every {@code Anchored} event of a contract, read straight from the node with {@code eth_getLogs}
 * (independently of any journal), for tests that count what was anchored. Fails the test if a
 * sequence number or a root appears twice, or if the sequence numbers have a gap.
 *
 * @param messages the sum of the anchored tree sizes
 * @param batches how many anchors
 * @param publishers who anchored
 */
record OnChainAnchors(long messages, int batches, Set<EvmAddress> publishers) {
  static OnChainAnchors read(LocalChain local, AnchorContract contract) {
    JsonNode logs = local.rpc("eth_getLogs", Map.of("address", contract.address().lowercase(), "fromBlock", "0x0",
        "toBlock", "latest", "topics", List.of(AnchorContract.ANCHORED_TOPIC.hex0x())));
    long messages = 0;
    Set<Long> sequences = new HashSet<>();
    Set<Hash32> roots = new HashSet<>();
    Set<EvmAddress> publishers = new HashSet<>();
    for (JsonNode log : logs) {
      long sequence = Long.decode(log.get("topics").get(3).asText());
      assertTrue(sequences.add(sequence), "batch " + sequence + " anchored twice");
      assertTrue(roots.add(Hash32.fromHex(log.get("topics").get(2).asText())), "a root anchored twice");
      publishers.add(EvmAddress.fromHex("0x" + log.get("topics").get(1).asText().substring(26)));
      messages += Long.parseLong(log.get("data").asText().substring(2, 66), 16);
    }
    for (long s = 1; s <= sequences.size(); s++) {
      assertTrue(sequences.contains(s), "gap: batch " + s + " is not on chain");
    }
    return new OnChainAnchors(messages, sequences.size(), Set.copyOf(publishers));
  }
}
