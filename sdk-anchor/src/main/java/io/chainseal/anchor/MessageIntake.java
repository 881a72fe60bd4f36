package io.chainseal.anchor;

import io.chainseal.anchor.internal.ProofSink;
import io.chainseal.anchor.internal.ProofAssembler;
import io.chainseal.anchor.internal.ProofSink.Delivery;
import io.chainseal.anchor.internal.SealedBatch;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageSignature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchorer's front door: the table of messages it must finish, the backlog bound, and the journal
 * writers — threads that append queued submissions in groups of up to {@value #WRITE_GROUP} (one
 * durable write each) and complete the submitters' futures: one, or as many as the journal can append
 * at once ({@link AnchorJournal#concurrentAppends}), so that one group is sent while another waits
 * for its commit. A key is never in two groups at once (the table holds one pending proof per key).
 * As the {@link ProofSink} of the other stages it completes every future on the callback executor,
 * never on a stage's own thread.
 */
final class MessageIntake implements ProofSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageIntake.class);
  private static final int WRITE_GROUP = 8192;

  private record Write(JournalEntry entry, PendingProof pending) {}

  private final AnchorJournal journal;
  private final int maxBacklog;
  private final Executor callbacks;
  private final Clock clock;
  /** Hears how many messages were journaled, and when the oldest of them arrived (by this clock). */
  private final BiConsumer<Integer, Instant> appended;
  private final Function<MessageKey, Optional<MessageProof>> anchoredProof;
  private final BiConsumer<String, Throwable> errors;
  private final ConcurrentHashMap<MessageKey, PendingProof> tracked = new ConcurrentHashMap<>();
  private final AtomicInteger backlog = new AtomicInteger();
  private final LinkedBlockingQueue<Write> writes = new LinkedBlockingQueue<>();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean accepting = true;
  private volatile boolean stopped;

  /** Where a message is on its way to a proof, in words (for {@link PendingProof#await}). */
  private final Function<MessageKey, String> progress;

  MessageIntake(AnchorJournal journal, int maxBacklog, Executor callbacks, Clock clock, String threadName,
      BiConsumer<Integer, Instant> appended, Function<MessageKey, Optional<MessageProof>> anchoredProof,
      BiConsumer<String, Throwable> errors, Function<MessageKey, String> progress) {
    this.journal = journal;
    this.progress = progress;
    this.maxBacklog = maxBacklog;
    this.callbacks = callbacks;
    this.clock = clock;
    this.appended = appended;
    this.anchoredProof = anchoredProof;
    this.errors = errors;
    int count = Math.max(1, journal.concurrentAppends());
    for (int i = 0; i < count; i++) {
      Thread writer = new Thread(this::writeLoop, count == 1 ? threadName : threadName + "-" + (i + 1));
      writer.setDaemon(true);
      writers.add(writer);
    }
    writers.forEach(Thread::start);
  }

  // ---------------------------------------------------------------------------------------------
  // Accepting

  /** Queues a message for the journal; returns its (possibly existing) pending proof. */
  PendingProof enqueue(MessageKey key, Hash32 commitment, @Nullable MessageSignature signature) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(commitment, "commitment == null");
    if (key.isForgotten()) {
      throw new IllegalArgumentException("the conversation id of " + key + " is reserved for forgotten messages");
    }
    if (!accepting) {
      throw new SubmitRejectedException(SubmitRejectedException.Reason.CLOSED, "anchorer is closed");
    }
    PendingProof existing = tracked.get(key);
    if (existing != null) {
      return sameOrConflict(existing, commitment);
    }
    if (backlog.incrementAndGet() > maxBacklog) {
      backlog.decrementAndGet();
      throw new SubmitRejectedException(SubmitRejectedException.Reason.BACKLOG_FULL,
          "backlog full: " + maxBacklog + " messages await anchoring; retry later");
    }
    PendingProof fresh = new PendingProof(key, commitment, progress);
    PendingProof raced = tracked.putIfAbsent(key, fresh);
    if (raced != null) {
      backlog.decrementAndGet();
      return sameOrConflict(raced, commitment);
    }
    writes.add(new Write(new JournalEntry(key, commitment, signature, clock.instant()), fresh));
    return fresh;
  }

  private static PendingProof sameOrConflict(PendingProof existing, Hash32 commitment) {
    if (!existing.commitment().equals(commitment)) {
      throw new SubmitRejectedException(SubmitRejectedException.Reason.CONFLICT,
          "message " + existing.key() + " was already submitted with another commitment");
    }
    return existing;
  }

  /** Waits until {@code pending} is journaled, at most {@code deadline}. */
  void awaitDurable(PendingProof pending, Duration deadline) {
    try {
      pending.durable.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubmitRejectedException(SubmitRejectedException.Reason.JOURNAL_FAILURE, "interrupted before "
          + pending.key() + " was journaled; submit it again to know (submissions are idempotent)", e);
    } catch (TimeoutException e) {
      throw new SubmitRejectedException(SubmitRejectedException.Reason.JOURNAL_FAILURE, pending.key() + " was not journaled"
          + " within " + deadline + " (is the journal reachable?); submit it again: submissions are idempotent", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SubmitRejectedException rejected) {
        throw new SubmitRejectedException(rejected.reason(), String.valueOf(rejected.getMessage()), rejected);
      }
      throw new SubmitRejectedException(SubmitRejectedException.Reason.JOURNAL_FAILURE,
          "journal failed to store " + pending.key() + ": " + cause, cause);
    }
  }

  /** A future of {@code pending} that completes once it is journaled. */
  CompletableFuture<PendingProof> durable(PendingProof pending) {
    return pending.durable.handle((ok, error) -> {
      if (error == null) {
        return pending;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      throw cause instanceof SubmitRejectedException rejected ? new CompletionException(rejected)
          : new CompletionException(new SubmitRejectedException(SubmitRejectedException.Reason.JOURNAL_FAILURE,
              "journal failed to store " + pending.key() + ": " + cause, cause));
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The journal writer

  private void writeLoop() {
    List<Write> group = new ArrayList<>(WRITE_GROUP);
    while (!stopped) {
      try {
        Write first = writes.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        writes.drainTo(group, WRITE_GROUP - 1);
        writeGroup(group);
      } catch (InterruptedException e) {
        if (stopped) {
          break;
        }
      } catch (RuntimeException e) {
        log.error("journal writer: unexpected failure; carrying on", e);
      } finally {
        group.clear();
      }
    }
    // What is still queued is failed by close(), once every writer has stopped: a write is taken from
    // the queue exactly once, by a writer (journaled) or by close (failed), never both.
  }

  private void writeGroup(List<Write> group) {
    List<JournalEntry> entries = new ArrayList<>(group.size());
    for (Write write : group) {
      entries.add(write.entry());
    }
    List<Optional<Hash32>> outcomes;
    try {
      outcomes = journal.append(entries);
    } catch (RuntimeException e) {
      errors.accept("journal append", e);
      for (Write write : group) {
        fail(write.pending(), e);
      }
      return;
    }
    int added = 0;
    Instant oldest = null;
    List<Runnable> done = new ArrayList<>(group.size());
    List<Delivery> alreadyAnchored = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      Write write = group.get(i);
      Optional<Hash32> stored = outcomes.get(i);
      CompletableFuture<Void> durable = write.pending().durable;
      if (stored.isEmpty()) {
        added++;
        if (oldest == null) {
          oldest = write.entry().acceptedAt();
        }
        done.add(() -> durable.complete(null));
      } else if (!stored.get().equals(write.entry().commitment())) {
        fail(write.pending(), new SubmitRejectedException(SubmitRejectedException.Reason.CONFLICT,
            "message " + write.entry().key() + " was already journaled with another commitment"));
      } else {
        // Journaled before: by an earlier run, or by another anchorer sharing the journal.
        done.add(() -> durable.complete(null));
        anchoredProof.apply(write.entry().key()).ifPresent(proof -> alreadyAnchored.add(new Delivery(write.entry().key(), proof)));
        // Otherwise it stays tracked: its batch's confirmation (ours, or the leader's) completes it.
      }
    }
    dispatch(done);
    if (!alreadyAnchored.isEmpty()) {
      anchored(alreadyAnchored);
    }
    if (added > 0) {
      appended.accept(added, oldest);
    }
  }

  private void fail(PendingProof pending, Throwable error) {
    if (tracked.remove(pending.key(), pending)) {
      backlog.decrementAndGet();
    }
    callbacks.execute(() -> pending.durable.completeExceptionally(error));
  }

  /**
   * Runs each of {@code completions} as its own task on the callback executor — never on the
   * anchorer's threads, and never behind another caller's slow callback. The anchorer's thread hands
   * over one task that submits the others from the executor's side: submitting thousands of tasks
   * from outside a pool wakes its workers again and again, and that cost was the journal writer's.
   */
  private void dispatch(List<Runnable> completions) {
    if (completions.isEmpty()) {
      return;
    }
    Runnable fanOut = completions.size() == 1 ? completions.get(0) : () -> {
      for (Runnable completion : completions) {
        try {
          callbacks.execute(completion);
        } catch (RuntimeException e) {
          completion.run(); // the executor refused (shut down by the host): complete here rather than never
        }
      }
    };
    try {
      callbacks.execute(fanOut);
    } catch (RuntimeException e) {
      log.warn("the callback executor refused work ({}); completing {} futures on the anchorer's thread", e.toString(), completions.size());
      completions.forEach(Runnable::run);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // ProofSink

  @Override
  public void track(JournalEntry entry) {
    if (tracked.containsKey(entry.key())) {
      return; // a caller of this process waits for it already
    }
    PendingProof pending = new PendingProof(entry.key(), entry.commitment(), progress);
    pending.durable.complete(null);
    // Keep a caller's own pending proof if this process accepted the message itself.
    if (tracked.putIfAbsent(entry.key(), pending) == null) {
      backlog.incrementAndGet();
    }
  }

  @Override
  public void batched(SealedBatch batch) {
    offerSealed(batch, true);
  }

  @Override
  public void sealed(SealedBatch batch) {
    offerSealed(batch, false);
  }

  /** One look-up per member: tracks it if asked (and unknown here), and offers its sealed proof. */
  private void offerSealed(SealedBatch batch, boolean trackAll) {
    List<Runnable> done = new ArrayList<>();
    List<JournalEntry> members = batch.members();
    for (int i = 0; i < members.size(); i++) {
      JournalEntry member = members.get(i);
      PendingProof pending = trackedFor(member);
      if (pending == null && trackAll && !member.key().isForgotten()) {
        track(member);
        pending = tracked.get(member.key());
      }
      if (pending != null && !pending.sealed.isDone()) {
        int leaf = i;
        PendingProof waiting = pending;
        if (waiting.offerSealed(() -> ProofAssembler.proof(batch, leaf, null))) {
          done.add(waiting::completeSealed);
        }
      }
    }
    dispatch(done);
  }

  @Override
  public void anchored(List<Delivery> deliveries) {
    List<Runnable> done = new ArrayList<>(deliveries.size());
    for (Delivery delivery : deliveries) {
      release(delivery.key(), delivery::proof, done);
    }
    dispatch(done);
  }

  @Override
  public void anchored(SealedBatch batch, AnchorReference anchor) {
    List<Runnable> done = new ArrayList<>(batch.members().size());
    for (int i = 0; i < batch.members().size(); i++) {
      int leaf = i;
      PendingProof pending = trackedFor(batch.members().get(i));
      if (pending != null) {
        release(pending.key(), () -> ProofAssembler.proof(batch, leaf, anchor), done);
      }
    }
    dispatch(done);
  }

  /**
   * Who waits for {@code member}'s proof here: by its key — or, for a member whose ids the journal
   * forgot after an erasure ({@link MessageKey#isForgotten()}), by its commitment (rare: a linear search).
   */
  private @Nullable PendingProof trackedFor(JournalEntry member) {
    if (!member.key().isForgotten()) {
      return tracked.get(member.key());
    }
    for (PendingProof pending : tracked.values()) {
      if (pending.commitment().equals(member.commitment())) {
        return pending;
      }
    }
    return null;
  }

  /** Stops tracking {@code key} if anyone waits for it, and queues the completion of its proof. */
  private void release(MessageKey key, Supplier<MessageProof> proofOf, List<Runnable> done) {
    PendingProof pending = tracked.get(key);
    // Release the backlog slot first, so whoever sees the proof also sees the room it freed.
    if (pending != null && tracked.remove(key, pending)) {
      backlog.decrementAndGet();
      MessageProof proof = proofOf.get();
      // From now on the sealed proof is the anchored one without the anchor (no batch is kept for it).
      boolean sealedWanted = !pending.sealed.isDone() && pending.offerSealed(() -> proof.toBuilder().anchor(null).build());
      done.add(() -> {
        if (sealedWanted) {
          pending.completeSealed();
        }
        pending.proof.complete(proof);
      });
    }
  }

  @Override
  public boolean isTracked(MessageKey key) {
    return tracked.containsKey(key);
  }

  Optional<PendingProof> pending(MessageKey key) {
    return Optional.ofNullable(tracked.get(key));
  }

  int backlog() {
    return backlog.get();
  }

  boolean idle() {
    return tracked.isEmpty() && writes.isEmpty();
  }

  int trackedCount() {
    return tracked.size();
  }

  /** Refuses new submissions from now on. */
  void stopAccepting() {
    accepting = false;
  }

  /** Stops the writer; queued writes and unfinished proofs fail with CLOSED (the journal keeps the messages). */
  @Override
  public void close() {
    accepting = false;
    stopped = true;
    writers.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      for (Thread writer : writers) {
        writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Write> unwritten = new ArrayList<>();
    writes.drainTo(unwritten);
    for (Write write : unwritten) {
      fail(write.pending(), new SubmitRejectedException(SubmitRejectedException.Reason.CLOSED, "anchorer closed"));
    }
    if (!tracked.isEmpty()) {
      log.warn("closed with {} messages not yet confirmed; they stay in {} for the next start", tracked.size(), journal);
      CompletionException closed = new CompletionException(new SubmitRejectedException(
          SubmitRejectedException.Reason.CLOSED, "anchorer closed before this message was confirmed; it stays journaled"));
      for (PendingProof pending : tracked.values()) {
        pending.proof.completeExceptionally(closed); // before close() returns, on the closing thread
      }
    }
  }
}
