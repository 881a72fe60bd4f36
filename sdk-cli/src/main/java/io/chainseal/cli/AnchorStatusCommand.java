package io.chainseal.cli;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.AnchoredEvent;
import io.chainseal.chain.ChainBlock;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.cli.Main.UsageException;
import io.chainseal.core.Hash32;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code chainseal anchor-status --rpc URL --tx HASH}: exit 0 if mined and successful, 1 otherwise. */
final class AnchorStatusCommand {
  static final String USAGE =
      "  anchor-status --rpc URL --tx HASH      show an anchoring transaction and its Anchored events";

  private AnchorStatusCommand() {}

  static int run(List<String> args, PrintStream out) throws UsageException {
    Options options = new Options(args, Set.of("--rpc", "--tx"));
    String rpc = options.required("--rpc");
    Hash32 tx;
    try {
      tx = Hash32.fromHex(options.required("--tx"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--tx: " + e.getMessage());
    }
    try (ChainClient chain = ChainClient.builder(rpc).timeout(Duration.ofSeconds(10)).maxAttempts(3).build()) {
      Optional<ChainReceipt> found = chain.receipt(tx);
      if (found.isEmpty()) {
        out.println("NOT FOUND: no mined transaction " + tx.hex0x() + " on chain " + chain.chainId() + " (unknown or pending)");
        return Main.NEGATIVE;
      }
      ChainReceipt receipt = found.get();
      long head = chain.blockNumber();
      out.println((receipt.success() ? "MINED" : "REVERTED") + ": " + tx.hex0x());
      out.println("chain          " + chain.chainId());
      out.println("block          " + receipt.blockNumber() + " (" + receipt.blockHash().hex0x() + ")");
      chain.block(receipt.blockNumber()).map(ChainBlock::timestamp).ifPresent(t -> out.println("time           " + t));
      out.println("confirmations  " + (head - receipt.blockNumber() + 1));
      out.println("from           " + receipt.from());
      out.println("gas used       " + receipt.gasUsed());
      for (ChainLog log : receipt.logs()) {
        Optional<AnchoredEvent> event = AnchorContract.decodeAny(log);
        event.ifPresent(e -> out.println("anchored       root " + e.root() + ", " + e.treeSize() + " messages, batch "
            + e.sequence() + " of " + e.publisher() + " (contract " + e.contract() + ", log " + e.logIndex() + ")"));
      }
      return receipt.success() ? Main.OK : Main.NEGATIVE;
    }
  }
}
