package io.chainseal.examples.quickstart;

import io.chainseal.testkit.DevAccount;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.LocalChainException;
import java.io.PrintStream;
import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The README's main job. This first version is the testkit's smoke demo: it starts a real local
 * chain, sends one transaction and prints its receipt. Exit code 0 on success, 1 on failure.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  static int run(PrintStream out, PrintStream err) {
    out.println("Chainseal quickstart: starting a local chain (Anvil) ...");
    try (LocalChain chain = LocalChain.start()) {
      out.printf("  chain id %d at %s, block %d%n", chain.chainId(), chain.rpcUrl(), chain.blockNumber());
      DevAccount alice = chain.account(0);
      DevAccount bob = chain.account(1);
      BigInteger oneEther = BigInteger.TEN.pow(18);
      out.printf("  sending 1 ETH from %s to %s%n", alice.address(), bob.address());
      TransactionReceipt receipt = chain.sendEther(alice, bob.address(), oneEther);
      out.println("Transaction receipt:");
      out.printf("  transaction hash  %s%n", receipt.getTransactionHash());
      out.printf("  block             %d (%s)%n", receipt.getBlockNumber(), receipt.getBlockHash());
      out.printf("  status            %s%n", receipt.isStatusOK() ? "success" : "failed");
      out.printf("  gas used          %d%n", receipt.getGasUsed());
      out.printf("  effective price   %d wei/gas%n", new BigInteger(receipt.getEffectiveGasPrice().substring(2), 16));
      out.println("Quickstart finished: chain stopped.");
      return receipt.isStatusOK() ? 0 : 1;
    } catch (LocalChainException e) {
      err.println("quickstart failed: " + e.getMessage());
      return 1;
    }
  }
}
