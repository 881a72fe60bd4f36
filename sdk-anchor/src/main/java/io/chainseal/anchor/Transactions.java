package io.chainseal.anchor;

import io.chainseal.anchor.internal.TransactionSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One-off transactions (deployments, admin calls): estimate, sign, send, wait for the receipt. */
final class Transactions {
  private Transactions() {}

  static ChainReceipt sendAndWait(ChainClient chain, TransactionSigner signer, @Nullable EvmAddress to, byte[] data, Duration timeout) {
    BigInteger gas = chain.estimateGas(signer.address(), to, data).multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4));
    long nonce = chain.transactionCount(signer.address(), true);
    FeeQuote fees = FeeQuote.current(chain, FeeQuote.DEFAULT_MAX_FEE_CAP);
    TransactionSigner.Signed signed = signer.sign(nonce, to, data, gas, fees.maxFeePerGas(), fees.maxPriorityFeePerGas());
    Hash32 hash = chain.sendRawTransaction(signed.raw());
    ChainReceipt receipt = awaitReceipt(chain, hash, timeout);
    if (!receipt.success()) {
      throw new ChainException("transaction " + hash.hex0x() + " reverted", false);
    }
    return receipt;
  }

  static ChainReceipt awaitReceipt(ChainClient chain, Hash32 hash, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<ChainReceipt> receipt = chain.receipt(hash);
      if (receipt.isPresent()) {
        return receipt.get();
      }
      if (System.nanoTime() > deadline) {
        throw new ChainException("no receipt for " + hash.hex0x() + " within " + timeout.toSeconds() + " s", true);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChainException("interrupted while waiting for " + hash.hex0x(), false, e);
      }
    }
  }
}
