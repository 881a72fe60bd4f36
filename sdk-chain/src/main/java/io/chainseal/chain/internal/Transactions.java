package io.chainseal.chain.internal;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.FeeQuote;

import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One-off transactions (deployments, admin calls): estimate, sign, send, wait for the receipt. */
public final class Transactions {
  private Transactions() {}

  public static ChainReceipt sendAndWait(ChainClient chain, TransactionSigner signer, @Nullable EvmAddress to, byte[] data, Duration timeout) {
    BigInteger gas = chain.estimateGas(signer.address(), to, data).multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4));
    long nonce = chain.transactionCount(signer.address(), true);
    FeeQuote fees = FeeQuote.current(chain, FeeQuote.DEFAULT_MAX_FEE_CAP);
    TransactionSigner.Signed signed = signer.sign(nonce, to, data, gas, fees.maxFeePerGas(), fees.maxPriorityFeePerGas());
    Hash32 hash = chain.sendRawTransaction(signed.raw());
    ChainReceipt receipt = awaitReceipt(chain, hash, timeout);
    if (!receipt.success()) {
      throw new ChainException(ChainException.Kind.REVERTED, "transaction " + hash.hex0x() + " reverted");
    }
    return receipt;
  }

  /**
   * The creation bytecode of a compiled contract artifact on the class path of {@code owner} (the JSON
   * that scripts/compile-contracts.mjs writes).
   *
   * @throws IllegalStateException if the artifact is missing or unreadable
   */
  public static String creationBytecode(Class<?> owner, String resource) {
    try (java.io.InputStream in = owner.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing contract artifact " + resource);
      }
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).get("bytecode").asText();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read contract artifact " + resource, e);
    }
  }

  public static ChainReceipt awaitReceipt(ChainClient chain, Hash32 hash, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<ChainReceipt> receipt = chain.receipt(hash);
      if (receipt.isPresent()) {
        return receipt.get();
      }
      if (System.nanoTime() > deadline) {
        throw new ChainException(ChainException.Kind.UNREACHABLE, "no receipt for " + hash.hex0x() + " within "
            + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChainException(ChainException.Kind.INTERRUPTED, "interrupted while waiting for " + hash.hex0x(), e);
      }
    }
  }
}
