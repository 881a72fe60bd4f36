package io.chainseal.host;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.AnchorJournal;
import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.anchor.ConversationBundle;
import io.chainseal.anchor.PendingProof;
import io.chainseal.anchor.PostgresAnchorJournal;
import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.EvmSigner;
import io.chainseal.core.ErasureReceipt;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.KeyProvider;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.MessageStore;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SigningKey;
import io.chainseal.governance.TallyVerifier;
import io.chainseal.store.PostgresMessageStore;
import io.chainseal.store.Retention;
import io.chainseal.store.SqliteMessageStore;
import io.chainseal.wallet.ChannelContract;
import io.chainseal.wallet.Channels;
import io.chainseal.wallet.PaymentVerifier;
import io.chainseal.wallet.Payments;
import io.chainseal.wallet.SqliteWalletJournal;
import io.chainseal.wallet.WalletJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chainseal for an IM server, in one object: an {@link Anchorer} that batches messages onto the chain,
 * a {@link ProvenanceVerifier} that trusts exactly the chain, contract and publishers it was given, and
 * a {@link MessageStore} that keeps envelopes, salts and proofs encrypted — wired together behind the
 * hooks a server calls:
 *
 * <pre>{@code
 * try (Chainseal chainseal = Chainseal.builder()
 *     .rpc("https://rpc.example.org").chainId(8453)
 *     .anchorContract(EvmAddress.fromHex("0x…"), 12_345_678)
 *     .publisherKey(publisherKey)
 *     .journal(Path.of("anchor.db"))
 *     .store(Path.of("messages.db"), KeystoreKeyProvider.open(Path.of("kek.p12"), password))
 *     .build()) {
 *   chainseal.onProofReady((ref, proof) -> deliver(ref, ProofCodec.toJson(proof)));
 *   Outgoing out = chainseal.onOutgoing(envelope, senderKey);   // attach out.commitment(), out.salt(), out.signature()
 *   ProvenanceResult verdict = chainseal.onIncoming(envelope, salt, proof);   // show verdict.status() to the user
 *   ErasureReceipt receipt = chainseal.eraseSender("alice@example.org");      // GDPR art. 17
 *   chainseal.export("room-42", Path.of("room-42.zip"));                     // GDPR art. 20
 * }
 * }</pre>
 *
 * Or from a properties file: {@link #fromProperties(Path)} ({@link ChainsealConfig} lists the keys).
 *
 * <p>Erasure reaches the store (ciphertexts, salts, data keys) and the anchor journal (ids and
 * signatures, {@link Anchorer#forget}); a message whose batch is not confirmed yet is forgotten by the
 * journal as soon as it is (retried in the background, and once more on {@link #close()}).
 *
 * <p>Thread-safe; no static state. {@link #close()} stops accepting messages, anchors and confirms what
 * was accepted (up to the anchorer's close timeout; what is left stays in the journal for the next
 * start), then closes the journal, the store and the chain client it opened.
 */
public final class Chainseal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Chainseal.class);

  private final ChainClient chain;
  private final boolean ownsChain;
  private final AnchorJournal journal;
  private final Anchorer anchorer;
  private final MessageStore store;
  private final ProvenanceVerifier verifier;
  private final TrustSettings trust;
  private final List<ProofListener> listeners = new CopyOnWriteArrayList<>();
  /** Erasures whose messages the journal could not forget yet (their batch was not confirmed). */
  private final Queue<ErasureReceipt> toForget = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService housekeeping;
  private final @Nullable WalletJournal walletJournal;
  private final @Nullable Payments payments;
  private final int confirmations;
  private final List<Retention> retentions = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private Chainseal(Builder b, ChainClient chain, boolean ownsChain, AnchorJournal journal, MessageStore store,
      @Nullable WalletJournal walletJournal) {
    this.chain = chain;
    this.walletJournal = walletJournal;
    this.confirmations = b.confirmations;
    this.ownsChain = ownsChain;
    this.journal = journal;
    this.store = store;
    SigningKey publisherKey = Objects.requireNonNull(b.publisherKey);
    EvmAddress contract = Objects.requireNonNull(b.contract);
    Anchorer.Builder anchoring = Anchorer.builder().chain(chain).contract(AnchorContract.at(contract, b.contractBlock))
        .publisherKey(publisherKey).journal(journal).batchPolicy(b.batchPolicy).confirmations(b.confirmations);
    if (b.closeTimeout != null) {
      anchoring.closeTimeout(b.closeTimeout);
    }
    this.anchorer = anchoring.build();
    TrustSettings.Builder trusted = TrustSettings.builder().chainId(b.chainId).trustContract(contract, b.contractBlock)
        .confirmations(b.confirmations);
    Set<EvmAddress> publishers = new LinkedHashSet<>(b.trustedPublishers);
    if (publishers.isEmpty()) {
      publishers.add(publisherKey.id().address()); // by default the server trusts its own anchors, and only those
    }
    publishers.forEach(trusted::trustPublisher);
    this.trust = trusted.build();
    this.verifier = ProvenanceVerifier.builder(chain).trust(trust).build();
    this.payments = walletJournal == null ? null : Payments.builder().chain(chain).signer(Objects.requireNonNull(b.walletSigner))
        .journal(walletJournal).confirmations(b.confirmations).build();
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "chainseal-housekeeping");
      thread.setDaemon(true);
      return thread;
    });
    ScheduledFuture<?> unused = housekeeping.scheduleWithFixedDelay(this::forgetWhatIsDue, 10, 10, TimeUnit.SECONDS);
  }

  /** Settings for a {@link Chainseal}; see the class comment for an example. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A {@link Chainseal} configured by the properties file {@code file}; passwords come from the
   * environment variables the file names. {@link ChainsealConfig} lists the keys.
   *
   * @throws IllegalArgumentException naming the key that is missing or malformed
   */
  public static Chainseal fromProperties(Path file) {
    return ChainsealConfig.load(file, System.getenv()).build();
  }

  // ---------------------------------------------------------------------------------------------
  // Hooks

  /** {@link #onOutgoing(MessageEnvelope, SigningKey)} for a message its sender did not sign. */
  public Outgoing onOutgoing(MessageEnvelope envelope) {
    return onOutgoing(envelope, null);
  }

  /**
   * A message is on its way out: gives it a fresh salt, stores it (encrypted), has {@code senderKey}
   * sign its commitment if given, and submits it for anchoring. Returns once the message is journaled
   * (nothing can lose it then); its proof follows to the {@link #onProofReady} listeners and into the store.
   *
   * @throws io.chainseal.anchor.SubmitRejectedException if the anchorer cannot take it (backlog full,
   *     closed, journal failing: {@code reason()} says whether to retry)
   * @throws IllegalStateException if another message is stored under its ids
   */
  public Outgoing onOutgoing(MessageEnvelope envelope, @Nullable SigningKey senderKey) {
    Objects.requireNonNull(envelope, "envelope == null");
    ensureOpen();
    Salt salt = Salt.random();
    SaltedEnvelope message = new SaltedEnvelope(envelope, salt);
    Hash32 commitment = envelope.commit(salt);
    MessageSignature signature = senderKey == null ? null : senderKey.sign(commitment);
    MessageRef ref = new MessageRef(envelope.conversationId(), envelope.messageId());
    store.put(message);
    PendingProof pending = anchorer.submit(envelope, salt, signature);
    CompletableFuture<Void> unused = pending.proof().thenAccept(proof -> proofReady(ref, proof));
    return new Outgoing(ref, commitment, salt, signature, pending);
  }

  private void proofReady(MessageRef ref, MessageProof proof) {
    try {
      store.putProof(ref, proof);
    } catch (RuntimeException e) {
      log.warn("the proof of {} could not be stored: {}", ref, e.toString());
    }
    for (ProofListener listener : listeners) {
      try {
        listener.onProofReady(ref, proof);
      } catch (RuntimeException e) {
        log.warn("a ProofListener threw {}", e.toString());
      }
    }
  }

  /**
   * A message came in with its salt and proof: verifies it against the chain with this server's trust
   * settings. Never throws for bad input: a malformed or forged message is a verdict
   * ({@code TAMPERED}, {@code BAD_SIGNATURE}, {@code NOT_ANCHORED}, …) the UI can show.
   */
  public ProvenanceResult onIncoming(@Nullable MessageEnvelope envelope, @Nullable Salt salt, @Nullable MessageProof proof) {
    return verifier.verify(envelope, salt, proof);
  }

  /** Registers {@code listener} for the proofs of messages sent through {@link #onOutgoing}. */
  public void onProofReady(ProofListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener == null"));
  }

  /** Erases one message from the store and its ids from the anchor journal; returns the signed receipt. */
  public ErasureReceipt erase(MessageRef ref) {
    ensureOpen();
    return forgotten(store.erase(ref));
  }

  /** Erases every message {@code senderId} sent, everywhere (see {@link #erase}). */
  public ErasureReceipt eraseSender(String senderId) {
    ensureOpen();
    return forgotten(store.eraseSender(senderId));
  }

  /** Erases a whole conversation (see {@link #erase}). */
  public ErasureReceipt eraseConversation(String conversationId) {
    ensureOpen();
    return forgotten(store.eraseConversation(conversationId));
  }

  private ErasureReceipt forgotten(ErasureReceipt receipt) {
    if (!receipt.erased().isEmpty() && !anchorer.forget(receipt).isEmpty()) {
      toForget.add(receipt); // their batches are not confirmed yet: forgotten once they are
    }
    return receipt;
  }

  /** Retries the journal's forgetting of erasures whose batches were not confirmed before. */
  private void forgetWhatIsDue() {
    List<ErasureReceipt> retry = new ArrayList<>();
    for (ErasureReceipt receipt; (receipt = toForget.poll()) != null; ) {
      try {
        if (!anchorer.forget(receipt).isEmpty()) {
          retry.add(receipt);
        }
      } catch (RuntimeException e) {
        log.warn("forgetting erased messages in the anchor journal failed ({}); trying again later", e.toString());
        retry.add(receipt);
      }
    }
    toForget.addAll(retry);
  }

  /** Messages erased whose ids the anchor journal still holds, until their batches are confirmed. */
  public int erasuresPending() {
    return toForget.stream().mapToInt(r -> r.erased().size()).sum();
  }

  /**
   * Writes a conversation, with every proof, as one archive anyone can verify ({@code chainseal verify
   * --bundle}); returns how many messages it holds. Messages without a proof yet are left out.
   *
   * @throws java.io.IOException if the archive cannot be written
   */
  public int export(String conversationId, Path archive) throws java.io.IOException {
    ensureOpen();
    return ConversationBundle.export(store, conversationId, archive);
  }

  /** Verifies an archive and, if every message verifies, imports it into the store. */
  public ConversationBundle.Report importArchive(Path archive) {
    ensureOpen();
    return ConversationBundle.importInto(archive, verifier, store);
  }

  // ---------------------------------------------------------------------------------------------
  // The services

  /** The anchorer (submitting by key and commitment, proofs by key, leadership). */
  public Anchorer anchorer() {
    return anchorer;
  }

  /** The verifier, trusting exactly {@link #trust()}. */
  public ProvenanceVerifier verifier() {
    return verifier;
  }

  /** What the verifier trusts: the chain, the anchor contract, the publishers. */
  public TrustSettings trust() {
    return trust;
  }

  /** The message store. */
  public MessageStore store() {
    return store;
  }

  /** The chain client, for services of the application's own on the same endpoint. */
  public ChainClient chain() {
    return chain;
  }

  /**
   * Payments from the wallet account given to the builder ({@link Builder#wallet}): ETH and ERC-20,
   * exactly once per payment id, with receipts to send in the chat.
   *
   * @throws IllegalStateException if no wallet was configured
   */
  public Payments payments() {
    if (payments == null) {
      throw new IllegalStateException("no wallet configured: Chainseal.builder().wallet(signer, journalFile)");
    }
    return payments;
  }

  /** Payment channels (micropayments by voucher) in the channel contract {@code contract}, paid from the wallet. */
  public Channels channels(ChannelContract contract) {
    return payments().channels(contract);
  }

  /** Checks payment receipts sent to {@code recipient} on this chain, with this instance's confirmations. */
  public PaymentVerifier paymentVerifier(EvmAddress recipient) {
    return PaymentVerifier.builder(chain).chainId(trust.chainId()).recipient(recipient).confirmations(confirmations).build();
  }

  /** Recounts anchored tallies from their transcripts and the chain, trusting what {@link #verifier()} trusts. */
  public TallyVerifier tallyVerifier() {
    return TallyVerifier.of(verifier);
  }

  /**
   * Starts a retention policy on the store: every {@code interval}, messages older than their
   * conversation keeps them ({@code defaultKeep}, or {@code perConversation}'s entry; empty keeps
   * forever) are erased — from the store and, as for {@link #erase}, the anchor journal — and each
   * receipt goes to {@code receipts}. Stopped by {@link #close()}.
   *
   * @return the policy, e.g. to {@link Retention#runOnce() run it now}
   */
  public Retention retention(Optional<Duration> defaultKeep, Map<String, Optional<Duration>> perConversation, Duration interval,
      Consumer<ErasureReceipt> receipts) {
    ensureOpen();
    Objects.requireNonNull(receipts, "receipts == null");
    Retention retention = Retention.of(store, defaultKeep, perConversation, java.time.Clock.systemUTC(), receipt -> {
      forgotten(receipt);
      receipts.accept(receipt);
    });
    retentions.add(retention);
    return retention.start(interval);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Chainseal is closed");
    }
  }

  /**
   * Stops accepting messages, anchors and confirms what was accepted (up to the anchorer's close
   * timeout), forgets what erasures left in the journal, and closes the journal, the store and the
   * chain client (if it opened it). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    housekeeping.shutdownNow();
    retentions.forEach(Chainseal::closeQuietly);
    if (payments != null) {
      closeQuietly(payments);
    }
    try {
      anchorer.close();
    } finally {
      try {
        forgetWhatIsDue();
        if (!toForget.isEmpty()) {
          log.warn("{} erased messages are still named in the anchor journal (their batches are not confirmed): erase them"
              + " again after the next start to forget them", erasuresPending());
        }
      } finally {
        closeQuietly(journal);
        closeQuietly(store);
        if (walletJournal != null) {
          closeQuietly(walletJournal);
        }
        if (ownsChain) {
          closeQuietly(chain);
        }
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
    }
  }

  @Override
  public String toString() {
    return "Chainseal[chain " + trust.chainId() + ", publisher " + anchorer.publisher() + (closed ? ", closed" : "") + "]";
  }

  /** Settings of a {@link Chainseal}. Required: the chain, the anchor contract, the publisher key, the journal and the store. */
  public static final class Builder {
    private @Nullable ChainClient chain;
    private final List<String> rpcUrls = new ArrayList<>();
    private long chainId = -1;
    private @Nullable EvmAddress contract;
    private long contractBlock;
    private @Nullable SigningKey publisherKey;
    private @Nullable Path journalFile;
    private @Nullable String journalUrl;
    private @Nullable Path storeFile;
    private @Nullable String storeUrl;
    private @Nullable KeyProvider storeKeys;
    private BatchPolicy batchPolicy = new BatchPolicy(10_000, Duration.ofSeconds(1));
    private int confirmations = ProvenanceVerifier.DEFAULT_CONFIRMATIONS;
    private @Nullable Duration closeTimeout;
    private final List<EvmAddress> trustedPublishers = new ArrayList<>();
    private @Nullable EvmSigner walletSigner;
    private @Nullable Path walletJournalFile;

    private Builder() {}

    /**
     * The wallet account that pays ({@link Chainseal#payments()}, {@link Chainseal#channels}), with its
     * payment journal in a SQLite file (what makes each payment happen exactly once). Optional.
     */
    public Builder wallet(EvmSigner signer, Path journalFile) {
      this.walletSigner = Objects.requireNonNull(signer, "signer == null");
      this.walletJournalFile = Objects.requireNonNull(journalFile, "journalFile == null");
      return this;
    }

    /** The chain's JSON-RPC endpoint; repeat for failover endpoints of the same chain. */
    public Builder rpc(String url) {
      rpcUrls.add(Objects.requireNonNull(url, "url == null"));
      return this;
    }

    /** A chain client the caller owns (and closes), instead of {@link #rpc}. */
    public Builder chain(ChainClient chain) {
      this.chain = Objects.requireNonNull(chain, "chain == null");
      return this;
    }

    /** The chain's EIP-155 id; the endpoint must serve it. Required. */
    public Builder chainId(long chainId) {
      if (chainId < 1) {
        throw new IllegalArgumentException("chainId must be positive, got " + chainId);
      }
      this.chainId = chainId;
      return this;
    }

    /** The anchor contract, deployed in block {@code deploymentBlock}. Required. */
    public Builder anchorContract(EvmAddress contract, long deploymentBlock) {
      this.contract = Objects.requireNonNull(contract, "contract == null");
      if (deploymentBlock < 0) {
        throw new IllegalArgumentException("deploymentBlock must not be negative, got " + deploymentBlock);
      }
      this.contractBlock = deploymentBlock;
      return this;
    }

    /** The publisher's secp256k1 key: it signs checkpoints and pays for anchors. Required. */
    public Builder publisherKey(SigningKey publisherKey) {
      this.publisherKey = Objects.requireNonNull(publisherKey, "publisherKey == null");
      return this;
    }

    /** The anchor journal in a SQLite file (one instance). */
    public Builder journal(Path file) {
      this.journalFile = Objects.requireNonNull(file, "file == null");
      this.journalUrl = null;
      return this;
    }

    /** The anchor journal in PostgreSQL (several instances share it), e.g. {@code jdbc:postgresql://db/chat?user=anchor}. */
    public Builder postgresJournal(String jdbcUrl) {
      this.journalUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl == null");
      this.journalFile = null;
      return this;
    }

    /** The message store in a SQLite file, its data keys wrapped by {@code keys}. */
    public Builder store(Path file, KeyProvider keys) {
      this.storeFile = Objects.requireNonNull(file, "file == null");
      this.storeKeys = Objects.requireNonNull(keys, "keys == null");
      this.storeUrl = null;
      return this;
    }

    /** The message store in PostgreSQL (several instances share it). */
    public Builder postgresStore(String jdbcUrl, KeyProvider keys) {
      this.storeUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl == null");
      this.storeKeys = Objects.requireNonNull(keys, "keys == null");
      this.storeFile = null;
      return this;
    }

    /** When a batch closes; default 10,000 messages or 1 s. */
    public Builder batchPolicy(BatchPolicy policy) {
      this.batchPolicy = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** Blocks (the anchoring one included) before a proof is delivered and verified; default {@link ProvenanceVerifier#DEFAULT_CONFIRMATIONS}. */
    public Builder confirmations(int confirmations) {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be at least 1, got " + confirmations);
      }
      this.confirmations = confirmations;
      return this;
    }

    /** How long {@link Chainseal#close()} waits for accepted messages to be confirmed; the anchorer's default otherwise. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /**
     * Trusts {@code publisher}'s anchors when verifying incoming messages; repeat for each. Default:
     * only this server's own publisher.
     */
    public Builder trustPublisher(EvmAddress publisher) {
      trustedPublishers.add(Objects.requireNonNull(publisher, "publisher == null"));
      return this;
    }

    /**
     * Opens the chain client (unless given), the journal and the store, and starts anchoring.
     *
     * @throws IllegalStateException naming a missing setting, or if the endpoint serves another chain
     */
    public Chainseal build() {
      if (chainId < 1) {
        throw new IllegalStateException("chainId is not set");
      }
      require(contract, "anchorContract");
      require(publisherKey, "publisherKey");
      if (journalFile == null && journalUrl == null) {
        throw new IllegalStateException("journal is not set: journal(Path) or postgresJournal(url)");
      }
      if (storeFile == null && storeUrl == null) {
        throw new IllegalStateException("store is not set: store(Path, KeyProvider) or postgresStore(url, KeyProvider)");
      }
      boolean ownsChain = chain == null;
      ChainClient client = chain;
      if (client == null) {
        if (rpcUrls.isEmpty()) {
          throw new IllegalStateException("rpc is not set: rpc(url) or chain(client)");
        }
        client = ChainClient.builder(rpcUrls.get(0), rpcUrls.subList(1, rpcUrls.size()).toArray(String[]::new)).build();
      }
      List<AutoCloseable> opened = new ArrayList<>();
      if (ownsChain) {
        opened.add(client);
      }
      try {
        long served = client.chainId();
        if (served != chainId) {
          throw new IllegalStateException("the RPC endpoint serves chain " + served + ", not the configured chain " + chainId);
        }
        AnchorJournal journal = journalFile != null ? SqliteAnchorJournal.open(journalFile)
            : PostgresAnchorJournal.open(Objects.requireNonNull(journalUrl));
        opened.add(journal);
        KeyProvider keys = Objects.requireNonNull(storeKeys);
        SigningKey receiptSigner = Objects.requireNonNull(publisherKey);
        MessageStore store = storeFile != null ? SqliteMessageStore.open(storeFile, keys, receiptSigner)
            : PostgresMessageStore.open(Objects.requireNonNull(storeUrl), keys, receiptSigner);
        opened.add(store);
        WalletJournal walletJournal = walletJournalFile == null ? null : SqliteWalletJournal.open(walletJournalFile);
        if (walletJournal != null) {
          opened.add(walletJournal);
        }
        return new Chainseal(this, client, ownsChain, journal, store, walletJournal);
      } catch (RuntimeException e) {
        for (int i = opened.size() - 1; i >= 0; i--) {
          closeQuietly(opened.get(i));
        }
        throw e;
      }
    }

    private static void require(@Nullable Object value, String name) {
      if (value == null) {
        throw new IllegalStateException(name + " is not set");
      }
    }
  }
}
