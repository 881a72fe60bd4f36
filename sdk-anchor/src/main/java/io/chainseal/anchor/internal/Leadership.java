package io.chainseal.anchor.internal;

import io.chainseal.anchor.AnchorJournal;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.JournalException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which part an anchorer plays, and the thread ({@code <name>-lead}) that keeps it: it leads its
 * journal — a {@link LeaderSession} batches, sends and confirms — or it follows, and a
 * {@link FollowerFeed} hands out its callers' proofs as the leader writes them. Every
 * {@code leaseCheckInterval} a leader confirms that it still leads, and steps down if not; a follower
 * tries to take the lead every poll (rows 17–19 of docs/anchoring.md's table):
 *
 * <ul>
 *   <li>not while its former session still has a thread (blocked in a journal or RPC call, it must
 *       not write under the new epoch);
 *   <li>not while transactions of the key unknown to the journal are pending ({@link LeaderSession.NotYet}:
 *       it tries again every 2 s);
 *   <li>never again once the chain contradicted the journal ({@link #refusal()}).
 * </ul>
 *
 * Thread-safe. Not API.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  private static final Duration NOT_YET_RETRY = Duration.ofSeconds(2);

  private final AnchorJournal journal;
  private final LeaderSession.Settings settings;
  private final ProofSink sink;
  private final ProofAssembler assembler;
  private final FollowerFeed feed;
  private final BiConsumer<String, Throwable> errors;
  private final Duration leaseCheckInterval;
  private final Duration followerPollInterval;
  private final String name;
  private final Object lock = new Object();
  private volatile @Nullable LeaderSession session;
  /** The last session this instance led (guarded by {@code lock}). */
  private @Nullable LeaderSession former;
  private long leadNotBefore;
  private @Nullable String notYet;
  private boolean lingering;
  private volatile @Nullable String refusal;
  private volatile boolean stopped;
  private @Nullable Thread thread;

  public Leadership(LeaderSession.Settings settings, ProofSink sink, ProofAssembler assembler, Duration leaseCheckInterval,
      Duration followerPollInterval, BiConsumer<String, Throwable> errors) {
    this.settings = settings;
    this.journal = settings.journal();
    this.sink = sink;
    this.assembler = assembler;
    this.feed = new FollowerFeed(journal, sink, assembler);
    this.leaseCheckInterval = leaseCheckInterval;
    this.followerPollInterval = followerPollInterval;
    this.errors = errors;
    this.name = settings.threadPrefix();
  }

  /** Takes the lead now if nobody holds it (recovering the journal's unfinished work), then keeps watch. */
  public void start() {
    boolean leading = false;
    try {
      leading = tryToLead();
    } catch (JournalException | ChainException e) {
      errors.accept("leadership", e); // transient: the watch tries again
    }
    if (!leading) {
      log.info("{}: another anchorer leads {}, or leading must wait; this one accepts messages and follows", name, journal);
    }
    Thread watch = new Thread(this::loop, name + "-lead");
    watch.setDaemon(true);
    thread = watch;
    watch.start();
  }

  /** Whether this instance leads now. */
  public boolean leads() {
    LeaderSession current = session;
    return current != null && current.isRunning();
  }

  /** Why this instance refuses to lead, if it does. */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** While closing: whether pending proofs can still come (someone leads, or may yet). */
  public boolean proofsMayCome() {
    return session != null || refusal == null;
  }

  /** Messages were journaled: wakes the leader's cutter. */
  public void appended(long count, Instant oldest) {
    LeaderSession current = session;
    if (current != null) {
      current.appended(count, oldest);
    }
  }

  /** The anchorer is closing: the leader closes its open batch at once. */
  public void closing() {
    LeaderSession current = session;
    if (current != null) {
      current.closing();
    }
  }

  /** See {@code Anchorer.retryFailedBatches()}. */
  public int retryFailed() {
    synchronized (lock) {
      LeaderSession current = session;
      return current != null && current.isRunning() ? current.retryFailed() : 0;
    }
  }

  private boolean tryToLead() {
    synchronized (lock) {
      if (session != null || refusal != null || stopped) {
        return session != null;
      }
      if (former != null && former.alive()) {
        if (!lingering) {
          lingering = true;
          log.warn("{}: the last leading session still has a thread (blocked in a journal, RPC or listener call);"
              + " not leading again until it ends", name);
        }
        return false;
      }
      lingering = false;
      if (System.nanoTime() - leadNotBefore < 0) {
        return false;
      }
      if (!journal.tryLead()) {
        return false;
      }
      feed.poll(); // hand out what the previous leader confirmed, before taking over its work
      LeaderSession started = new LeaderSession(settings, sink, assembler, why -> { });
      former = started; // whatever happens below, its threads must end before another session starts
      try {
        started.start();
      } catch (LeaderSession.NotYet e) {
        started.close();
        journal.stepDown();
        leadNotBefore = System.nanoTime() + NOT_YET_RETRY.toNanos();
        if (!e.getMessage().equals(notYet)) {
          log.warn("{}: not leading yet: {}", name, e.getMessage());
          errors.accept("leadership", new IllegalStateException("not leading yet: " + e.getMessage() + "; if they are"
              + " never mined, an operator must replace or cancel those nonces"));
          notYet = e.getMessage();
        }
        return false;
      } catch (LeaderSession.Refused e) {
        started.close();
        journal.stepDown();
        refuse(e.getMessage());
        return false;
      } catch (RuntimeException e) {
        started.close();
        journal.stepDown();
        throw e;
      }
      session = started;
      notYet = null;
      log.info("{}: leads {} (epoch {})", name, journal, journal.leaderEpoch());
      return true;
    }
  }

  private void refuse(String why) {
    refusal = why;
    log.error("{}: refusing to anchor from {}: {}", name, journal, why);
    errors.accept("leadership", new IllegalStateException(why));
  }

  private void stepDown(String why) {
    synchronized (lock) {
      LeaderSession current = session;
      session = null;
      if (current != null) {
        current.close();
        journal.stepDown();
        log.warn("{}: stepped down ({}); following", name, why);
      }
    }
  }

  private void loop() {
    while (!stopped) {
      try {
        LeaderSession current = session;
        if (current != null) {
          Optional<String> refused = current.refusal();
          if (refused.isPresent()) {
            stepDown("the chain contradicts the journal");
            refuse(refused.get());
          } else if (!current.isRunning()) {
            stepDown("the journal refused a write: another anchorer leads it now");
          } else if (!journal.stillLeads()) {
            stepDown("the lead's lock or epoch is gone");
          }
        } else {
          boolean leading = false;
          try {
            leading = tryToLead();
          } catch (JournalException | ChainException e) {
            errors.accept("leadership", e);
          }
          if (!leading) {
            feed.poll(); // whatever kept it from leading, its callers' proofs keep coming
          }
        }
      } catch (JournalException | ChainException e) {
        errors.accept("leadership", e);
      } catch (RuntimeException e) {
        log.error("{}: unexpected failure in the leadership loop; carrying on", name, e);
        errors.accept("leadership", e);
      }
      try {
        Thread.sleep((session != null ? leaseCheckInterval : followerPollInterval).toMillis());
      } catch (InterruptedException e) {
        if (stopped) {
          return;
        }
      }
    }
  }

  /** Stops the watch and any session, giving up the lead; unfinished work stays in the journal. Idempotent. */
  @Override
  public void close() {
    stopped = true;
    Thread watch = thread;
    if (watch != null) {
      watch.interrupt();
      try {
        watch.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (lock) {
      LeaderSession last = session;
      session = null;
      if (last != null) {
        last.close();
        journal.stepDown();
      }
    }
  }
}
