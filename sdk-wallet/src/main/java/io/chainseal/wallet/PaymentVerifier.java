package io.chainseal.wallet;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.ChainTransaction;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.wallet.PaymentVerdict.Problem;
import io.chainseal.wallet.PaymentVerdict.Status;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a {@link PaymentReceipt} against the chain, so a recipient never trusts a claim the chain
 * does not back: the transaction exists on the expected chain, was signed for it, is from the claimed
 * sender, succeeded, moved exactly the claimed amount of the claimed token (the transaction's value for
 * ETH, an ERC-20 {@code Transfer} log emitted by the token's contract otherwise) to the claimed
 * recipient — who must be the one this verifier checks for — and is deep enough.
 *
 * <pre>{@code
 * PaymentVerifier verifier = PaymentVerifier.builder(chain).chainId(1).recipient(myAddress).confirmations(12).build();
 * PaymentVerdict verdict = verifier.verify(PaymentReceipt.fromJson(chatMessageBody), usdc, priceInUnits);
 * if (verdict.isVerified() && usedTransactions.add(receipt.transaction())) { deliver(); }
 * }</pre>
 *
 * <p>The chain proves that a transfer happened, not what it was for: check it is the token and amount
 * you asked for ({@link #verify(PaymentReceipt, Token, BigInteger)} — anyone can deploy a token of their
 * own and pay with it), and record each transaction you accept, so one payment cannot be presented for
 * two purchases. The receipt's payment id is the payer's note, not checked on chain.
 *
 * <p>Fails closed: the chain id and the recipient must be set (the latter may be waived only through
 * {@link Builder#anyRecipientUnsafe()}). Never throws for a bad receipt or a bad node answer: every
 * outcome is a {@link PaymentVerdict}. Thread-safe.
 */
public final class PaymentVerifier {
  private static final Logger log = LoggerFactory.getLogger(PaymentVerifier.class);
  private static final Hash32 TRANSFER = Hash32.fromHex(Erc20.TRANSFER_TOPIC);

  private final ChainClient chain;
  private final long chainId;
  private final @Nullable EvmAddress recipient;
  private final int confirmations;

  private PaymentVerifier(Builder b) {
    this.chain = b.chain;
    if (b.chainId == null) {
      throw new IllegalStateException("set chainId: a verifier checks one chain it was told to trust");
    }
    if (b.recipient == null && !b.anyRecipient) {
      throw new IllegalStateException("set recipient (the account payments must reach), or call anyRecipientUnsafe()");
    }
    this.chainId = b.chainId;
    this.recipient = b.recipient;
    this.confirmations = b.confirmations;
  }

  public static Builder builder(ChainClient chain) {
    return new Builder(chain);
  }

  /**
   * The verdict on {@code receipt} as payment of {@code amount} (smallest unit) of {@code token}: a
   * receipt for another token or amount is REJECTED (WRONG_TOKEN, WRONG_AMOUNT) before the chain is
   * asked. Never throws (but for null arguments).
   */
  public PaymentVerdict verify(PaymentReceipt receipt, Token token, BigInteger amount) {
    Objects.requireNonNull(receipt, "receipt == null");
    Objects.requireNonNull(token, "token == null");
    Objects.requireNonNull(amount, "amount == null");
    if (!Objects.equals(receipt.token(), token.contract())) {
      return rejected(Problem.WRONG_TOKEN, "the receipt pays " + (receipt.token() == null ? "ETH" : "token " + receipt.token())
          + ", not " + token);
    }
    if (!receipt.amount().equals(amount)) {
      return rejected(Problem.WRONG_AMOUNT, "the receipt pays " + receipt.amount() + ", not " + amount);
    }
    return verify(receipt);
  }

  /**
   * The verdict on {@code receipt} as it claims itself: whether the chain backs its token, amount,
   * sender and recipient. Use {@link #verify(PaymentReceipt, Token, BigInteger)} to check it is the
   * payment you asked for. Never throws (but for a null receipt).
   */
  public PaymentVerdict verify(PaymentReceipt receipt) {
    Objects.requireNonNull(receipt, "receipt == null");
    try {
      return check(receipt);
    } catch (ChainException e) {
      return new PaymentVerdict(Status.UNAVAILABLE, Problem.CHAIN_UNAVAILABLE, "could not ask the chain: " + e.getMessage(), 0);
    } catch (RuntimeException e) {
      log.error("payment verification failed unexpectedly (a bug)", e);
      return new PaymentVerdict(Status.UNAVAILABLE, Problem.INTERNAL_ERROR, "internal error (a bug, not the receipt's fault): " + e, 0);
    }
  }

  private PaymentVerdict check(PaymentReceipt receipt) {
    if (receipt.chainId() != chainId) {
      return rejected(Problem.WRONG_CHAIN, "the receipt is for chain " + receipt.chainId() + "; this verifier checks chain " + chainId);
    }
    long nodeChain = chain.chainId();
    if (nodeChain != chainId) {
      return new PaymentVerdict(Status.UNAVAILABLE, Problem.CHAIN_UNAVAILABLE, "the node serves chain " + nodeChain + ", not " + chainId, 0);
    }
    if (recipient != null && !receipt.to().equals(recipient)) {
      return rejected(Problem.WRONG_RECIPIENT, "the receipt pays " + receipt.to() + ", not " + recipient);
    }
    Optional<ChainTransaction> found = chain.transaction(receipt.transaction());
    if (found.isEmpty()) {
      return new PaymentVerdict(Status.PENDING, Problem.NOT_FOUND, "the node does not know transaction " + receipt.transaction().hex0x(), 0);
    }
    ChainTransaction tx = found.get();
    if (tx.chainId() != null && tx.chainId() != chainId) {
      return rejected(Problem.WRONG_CHAIN, "the transaction is signed for chain " + tx.chainId());
    }
    if (!tx.from().equals(receipt.from())) {
      return rejected(Problem.WRONG_SENDER, "the transaction is from " + tx.from() + ", not " + receipt.from());
    }
    if (tx.blockNumber() == null) {
      return new PaymentVerdict(Status.PENDING, Problem.NOT_MINED, "the transaction is not mined yet", 0);
    }
    Optional<ChainReceipt> mined = chain.receipt(receipt.transaction());
    if (mined.isEmpty()) {
      return new PaymentVerdict(Status.PENDING, Problem.NOT_MINED, "the transaction's receipt is not available yet", 0);
    }
    if (!mined.get().success()) {
      return rejected(Problem.REVERTED, "the transaction reverted: nothing moved");
    }
    PaymentVerdict moved = receipt.token() == null ? checkEther(receipt, tx, mined.get()) : checkToken(receipt, mined.get());
    if (moved != null) {
      return moved;
    }
    long depth = chain.blockNumber() - mined.get().blockNumber() + 1;
    if (depth < confirmations) {
      return new PaymentVerdict(Status.PENDING, Problem.TOO_FEW_CONFIRMATIONS, depth + " of " + confirmations + " confirmations",
          Math.max(depth, 0));
    }
    return new PaymentVerdict(Status.VERIFIED, Problem.NONE, "the chain backs the receipt (" + depth + " confirmations)", depth);
  }

  private static @Nullable PaymentVerdict checkEther(PaymentReceipt receipt, ChainTransaction tx, ChainReceipt mined) {
    if (tx.value().signum() == 0 && !transfers(mined).isEmpty()) {
      return rejected(Problem.WRONG_TOKEN, "the transaction moved a token, not ETH");
    }
    if (tx.to() == null || !tx.to().equals(receipt.to())) {
      return rejected(Problem.WRONG_RECIPIENT, "the transaction pays " + tx.to() + ", not " + receipt.to());
    }
    if (!tx.value().equals(receipt.amount())) {
      return rejected(Problem.WRONG_AMOUNT, "the transaction moved " + tx.value() + " wei, not " + receipt.amount());
    }
    return null;
  }

  private static @Nullable PaymentVerdict checkToken(PaymentReceipt receipt, ChainReceipt mined) {
    EvmAddress token = Objects.requireNonNull(receipt.token());
    List<ChainLog> all = transfers(mined);
    List<ChainLog> ofToken = new ArrayList<>();
    for (ChainLog log : all) {
      if (log.address().equals(token)) {
        ofToken.add(log);
      }
    }
    if (ofToken.isEmpty()) {
      return rejected(Problem.WRONG_TOKEN, all.isEmpty() ? "the transaction moved no ERC-20 token"
          : "the transaction moved another token (" + all.get(0).address() + "), not " + token);
    }
    BigInteger paid = BigInteger.ZERO;
    boolean fromSender = false;
    for (ChainLog log : ofToken) {
      if (party(log, 1).equals(receipt.from())) {
        fromSender = true;
        if (party(log, 2).equals(receipt.to())) {
          paid = paid.add(new BigInteger(1, log.data()));
        }
      }
    }
    if (!fromSender) {
      return rejected(Problem.WRONG_SENDER, "no transfer of " + token + " from " + receipt.from() + " in the transaction");
    }
    if (paid.signum() == 0) {
      return rejected(Problem.WRONG_RECIPIENT, "the transaction moved " + token + " to another account than " + receipt.to());
    }
    if (!paid.equals(receipt.amount())) {
      return rejected(Problem.WRONG_AMOUNT, "the transaction moved " + paid + " of the token's smallest unit, not " + receipt.amount());
    }
    return null;
  }

  /** Well-formed ERC-20 Transfer logs: three topics, a 32-byte amount. */
  private static List<ChainLog> transfers(ChainReceipt mined) {
    List<ChainLog> out = new ArrayList<>();
    for (ChainLog log : mined.logs()) {
      if (log.topics().size() == 3 && log.topics().get(0).equals(TRANSFER) && log.data().length == 32) {
        out.add(log);
      }
    }
    return out;
  }

  private static EvmAddress party(ChainLog log, int topic) {
    byte[] word = log.topics().get(topic).bytes();
    return EvmAddress.of(java.util.Arrays.copyOfRange(word, 12, 32));
  }

  private static PaymentVerdict rejected(Problem problem, String message) {
    return new PaymentVerdict(Status.REJECTED, problem, message, 0);
  }

  @Override
  public String toString() {
    return "PaymentVerifier[chain " + chainId + ", recipient " + (recipient == null ? "any (unsafe)" : recipient) + ", "
        + confirmations + " confirmations]";
  }

  /** Builds a {@link PaymentVerifier}. */
  public static final class Builder {
    private final ChainClient chain;
    private @Nullable Long chainId;
    private @Nullable EvmAddress recipient;
    private boolean anyRecipient;
    private int confirmations = 3;

    private Builder(ChainClient chain) {
      this.chain = Objects.requireNonNull(chain, "chain == null");
    }

    /** The chain receipts must be on (required). */
    public Builder chainId(long chainId) {
      if (chainId <= 0) {
        throw new IllegalArgumentException("chainId must be positive, got " + chainId);
      }
      this.chainId = chainId;
      return this;
    }

    /** The account payments must reach: yours (required, or {@link #anyRecipientUnsafe()}). */
    public Builder recipient(EvmAddress recipient) {
      this.recipient = Objects.requireNonNull(recipient, "recipient == null");
      return this;
    }

    /**
     * Accepts receipts paying anyone. Unsafe for a recipient deciding whether it was paid: a genuine
     * receipt of a payment to someone else would verify. For auditors only.
     */
    public Builder anyRecipientUnsafe() {
      this.anyRecipient = true;
      return this;
    }

    /** Blocks deep the transaction must be; default 3. */
    public Builder confirmations(int confirmations) {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be at least 1, got " + confirmations);
      }
      this.confirmations = confirmations;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @throws IllegalStateException if the chain id or the recipient is not set
     */
    public PaymentVerifier build() {
      return new PaymentVerifier(this);
    }
  }
}
