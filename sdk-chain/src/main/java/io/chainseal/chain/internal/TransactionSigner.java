package io.chainseal.chain.internal;

import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Signs EIP-1559 transactions with an account's {@link EvmSigner}: Web3j encodes the transaction, the
 * signer signs its hash (wherever the key lives), and the signature is checked to be the account's
 * before the signed bytes are built. Thread-safe as the signer is.
 */
public final class TransactionSigner {
  private final EvmSigner signer;
  private final EvmAddress address;
  private final long chainId;

  public TransactionSigner(SigningKey key, long chainId) {
    this(EvmSigner.of(key), chainId);
  }

  public TransactionSigner(EvmSigner signer, long chainId) {
    this.signer = java.util.Objects.requireNonNull(signer, "signer == null");
    this.address = signer.address();
    this.chainId = chainId;
  }

  public EvmAddress address() {
    return address;
  }

  public long chainId() {
    return chainId;
  }

  /**
   * The nonce, fees and gas limit of an EIP-1559 transaction.
   *
   * @param nonce sender nonce
   * @param maxFeePerGas most paid per gas, in wei
   * @param maxPriorityFeePerGas tip per gas, in wei
   * @param gasLimit gas limit
   */
  public record Fees(long nonce, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, BigInteger gasLimit) {}

  /** Reads the nonce, fees and gas limit back from a signed EIP-1559 transaction. */
  public static Fees fees(byte[] signedTransaction) {
    RawTransaction tx = org.web3j.crypto.TransactionDecoder.decode(Numeric.toHexString(signedTransaction));
    if (!(tx.getTransaction() instanceof org.web3j.crypto.transaction.type.Transaction1559 eip1559)) {
      throw new IllegalArgumentException("not an EIP-1559 transaction");
    }
    return new Fees(tx.getNonce().longValueExact(), eip1559.getMaxFeePerGas(), eip1559.getMaxPriorityFeePerGas(),
        tx.getGasLimit());
  }

  /** A signed transaction, ready to broadcast, and its hash. */
  public record Signed(byte[] raw, Hash32 hash, long nonce, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    /** Equal when the signed bytes are (the rest follows from them). */
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Signed other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
      return "Signed[" + hash + ", nonce " + nonce + ", " + raw.length + " bytes]";
    }
  }

  public Signed sign(long nonce, @Nullable EvmAddress to, byte[] data, BigInteger gasLimit,
      BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    return sign(nonce, to, BigInteger.ZERO, data, gasLimit, maxFeePerGas, maxPriorityFeePerGas);
  }

  /** Signs an EIP-1559 transaction sending {@code value} wei along. */
  public Signed sign(long nonce, @Nullable EvmAddress to, BigInteger value, byte[] data, BigInteger gasLimit,
      BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    RawTransaction tx = RawTransaction.createTransaction(chainId, BigInteger.valueOf(nonce), gasLimit,
        to == null ? "" : to.lowercase(), value, Numeric.toHexString(data), maxPriorityFeePerGas, maxFeePerGas);
    EcdsaSignature signature = signer.signChecked(Hash32.of(Hash.sha3(TransactionEncoder.encode(tx))));
    byte[] rsv = signature.bytes();
    Sign.SignatureData signatureData = new Sign.SignatureData(rsv[64], Arrays.copyOfRange(rsv, 0, 32),
        Arrays.copyOfRange(rsv, 32, 64));
    byte[] raw = TransactionEncoder.encode(tx, signatureData);
    return new Signed(raw, Hash32.of(Hash.sha3(raw)), nonce, maxFeePerGas, maxPriorityFeePerGas);
  }

  @Override
  public String toString() {
    return "TransactionSigner[" + address + ", chain " + chainId + "]";
  }
}
