package io.chainseal.store;

import io.chainseal.chain.jdbc.JdbcJournal;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.ErasureReceipt;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import io.chainseal.core.KeyProvider;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;
import io.chainseal.core.MessageStore;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.Signer;
import io.chainseal.core.StoreEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * What the SQLite and PostgreSQL message stores share: the tables, the encryption, erasure and
 * receipts. Each message's envelope and salt are encrypted with AES-256-GCM under the data key of its
 * (conversation, sender) pair, bound as associated data to its ids, sender and commitment; data keys
 * are stored only wrapped by the {@link KeyProvider}. Several instances may share one database
 * (PostgreSQL): a data key is checked against the database in every transaction that uses it, and an
 * erasure that deletes data keys locks them first, so no instance encrypts under a key another one
 * just destroyed. Thread-safe: one connection per instance, calls serialized.
 */
abstract class JdbcMessageStore implements MessageStore {
  /** The tables; {@code BLOB}, {@code SERIAL} and {@code BIGINT} are replaced per database. */
  static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS data_keys (
        conversation_id TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        kek_id TEXT NOT NULL,
        wrapped BLOB NOT NULL,
        PRIMARY KEY (conversation_id, sender_id));
      CREATE TABLE IF NOT EXISTS messages (
        seq SERIAL,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sender_id TEXT,
        commitment BLOB NOT NULL,
        sealed BLOB,
        proof TEXT,
        stored_at BIGINT NOT NULL,
        erased_at BIGINT,
        UNIQUE (conversation_id, message_id));
      CREATE INDEX IF NOT EXISTS messages_by_sender ON messages (sender_id);
      CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation_id, seq);
      CREATE TABLE IF NOT EXISTS receipts (
        seq SERIAL,
        statement TEXT NOT NULL,
        signer TEXT NOT NULL,
        signature BLOB NOT NULL);
      """;

  /** Opens a new connection (auto-commit off) after the last one broke; null where the store cannot reconnect. */
  @FunctionalInterface
  interface Connector {
    Connection open() throws SQLException;
  }

  /**
   * How the databases differ: the clause that locks a data key row against deletion while a message is
   * encrypted under it, and the one that locks the rows an erasure deletes (empty where one instance owns the file).
   */
  record Dialect(String shareLock, String updateLock) {
    /** Whether other instances share the database (then a cached data key is checked against it in every transaction). */
    boolean shared() {
      return !shareLock.isEmpty();
    }
  }

  private static final int NONCE = 12;

  private final @Nullable Connector connector;
  private final Dialect dialect;
  private @Nullable Connection connection;
  private final KeyProvider keys;
  private final Signer operator;
  private final Clock clock;
  final String name;
  private final SecureRandom random = new SecureRandom();
  /** Which data key: one per (conversation, sender). */
  private record DataKeyId(String conversation, String sender) {}

  /** An unwrapped data key and the wrapped bytes it came from (a key replaced in the database is noticed). */
  private record CachedKey(byte[] wrapped, SecretKeySpec key) {}

  /** Unwrapped data keys: guarded by this. */
  private final Map<DataKeyId, CachedKey> dataKeys = new HashMap<>();
  /** The data keys checked against the database in the current transaction: guarded by this. */
  private final Map<DataKeyId, SecretKeySpec> checked = new HashMap<>();
  private boolean closed;

  JdbcMessageStore(Connection connection, @Nullable Connector connector, Dialect dialect, KeyProvider keys, Signer operator,
      Clock clock, String name) {
    this.connection = connection;
    this.connector = connector;
    this.dialect = dialect;
    this.keys = keys;
    this.operator = operator;
    this.clock = clock;
    this.name = name;
  }

  /** {@link #SCHEMA} for a database whose binary, auto-increment and 64-bit integer types are these. */
  static List<String> schema(String blob, String serial, String bigint) {
    List<String> out = new ArrayList<>();
    for (String ddl : SCHEMA.replace("BLOB", blob).replace("SERIAL", serial).replace("BIGINT", bigint).split(";", -1)) {
      if (!ddl.isBlank()) {
        out.add(ddl);
      }
    }
    return out;
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Work that returns nothing. */
  @FunctionalInterface
  interface Update {
    void run(Connection c) throws SQLException;
  }

  /** {@link #transaction} for work that returns nothing. */
  final void update(String what, boolean idempotent, Update work) {
    transaction(what, idempotent, c -> {
      work.run(c);
      return Boolean.TRUE;
    });
  }

  /**
   * Runs {@code work} in one transaction. A connection that broke (a database restart) is opened again
   * and {@code work} run once more if it is {@code idempotent}; an erasure is not repeated (whether it
   * committed is unknown: {@link #receipts()} tells, and erasing again erases what is left).
   */
  synchronized <T> T transaction(String what, boolean idempotent, Work<T> work) {
    if (closed) {
      throw new StoreException("message store " + name + " is closed", null);
    }
    for (int attempt = 1; ; attempt++) {
      Connection c = null;
      try {
        c = connection();
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException e) {
        boolean broken = connector != null && JdbcJournal.isConnectionFailure(c, e);
        rollback(c, broken);
        if (broken && idempotent && attempt == 1) {
          continue;
        }
        // A deadlock or serialization failure rolled the whole transaction back: it certainly did not
        // happen, so even an erasure is run again.
        boolean conflict = "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
        if (conflict && !broken && attempt < 5) {
          continue;
        }
        throw new StoreException(what + " failed on " + name + ": " + JdbcJournal.redact(e.getMessage())
            + (broken && !idempotent ? " (the connection broke: whether it happened is unknown; receipts() tells, and"
                + " erasing again erases whatever is left)" : ""), JdbcJournal.redacted(e));
      } catch (RuntimeException | Error e) {
        rollback(c, false); // an error half way through a batch must not leave its first rows for the next commit
        throw e;
      } finally {
        checked.clear();
      }
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      if (connector == null) {
        throw new SQLException("the connection to " + name + " is closed");
      }
      connection = connector.open();
    }
    return connection;
  }

  private void rollback(@Nullable Connection c, boolean broken) {
    // A data key created in the rolled-back transaction was never stored: forget every cached key
    // rather than encrypt later messages under a key that is not in the database.
    dataKeys.clear();
    if (c == null) {
      return;
    }
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the next call reports it
    }
    if (broken) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already broken
      }
      connection = null;
    }
  }

  @Override
  public void put(SaltedEnvelope message) {
    Objects.requireNonNull(message, "message == null");
    putAll(List.of(message));
  }

  @Override
  public void putAll(List<SaltedEnvelope> messages) {
    List<SaltedEnvelope> copy = List.copyOf(messages);
    update("put of " + copy.size(), true, c -> {
      try (PreparedStatement existing = c.prepareStatement(
              "SELECT commitment, erased_at FROM messages WHERE conversation_id = ? AND message_id = ?");
          PreparedStatement insert = c.prepareStatement("INSERT INTO messages (conversation_id, message_id, sender_id, commitment,"
              + " sealed, stored_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, message_id) DO NOTHING")) {
        for (SaltedEnvelope message : copy) {
          insert(c, existing, insert, message);
        }
      }
    });
  }

  private void insert(Connection c, PreparedStatement existing, PreparedStatement insert, SaltedEnvelope message) throws SQLException {
    MessageRef ref = new MessageRef(message.envelope().conversationId(), message.envelope().messageId());
    String sender = message.envelope().senderId();
    Hash32 commitment = message.envelope().commit(message.salt());
    existing.setString(1, ref.conversationId());
    existing.setString(2, ref.messageId());
    try (ResultSet rs = existing.executeQuery()) {
      if (rs.next()) {
        if (!Hash32.of(rs.getBytes("commitment")).equals(commitment)) {
          throw new IllegalStateException("another message is stored as " + ref);
        }
        return; // stored before (and, if it was erased since, it stays erased)
      }
    }
    SecretKeySpec key = dataKey(c, ref.conversationId(), sender);
    byte[] sealed = seal(key, associatedData(ref, sender, commitment), ref, EnvelopeCodec.toJson(message).getBytes(StandardCharsets.UTF_8));
    insert.setString(1, ref.conversationId());
    insert.setString(2, ref.messageId());
    insert.setString(3, sender);
    insert.setBytes(4, commitment.bytes());
    insert.setBytes(5, sealed);
    insert.setLong(6, clock.millis());
    if (insert.executeUpdate() == 0) {
      // Another instance stored it since we looked: the same message, or a conflict.
      try (ResultSet rs = existing.executeQuery()) {
        if (rs.next() && !Hash32.of(rs.getBytes("commitment")).equals(commitment)) {
          throw new IllegalStateException("another message is stored as " + ref);
        }
      }
    }
  }

  /**
   * The data key of (conversation, sender), checked against the database once per transaction (and
   * locked there against an erasure until the transaction ends), created and stored wrapped on first
   * use. Caller holds the lock.
   */
  private SecretKeySpec dataKey(Connection c, String conversation, String sender) throws SQLException {
    SecretKeySpec key = existingKey(c, conversation, sender);
    if (key != null) {
      return key;
    }
    DataKeyId id = new DataKeyId(conversation, sender);
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    byte[] wrapped = keys.wrap(raw);
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO data_keys (conversation_id, sender_id, kek_id, wrapped)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id, sender_id) DO NOTHING")) {
      insert.setString(1, conversation);
      insert.setString(2, sender);
      insert.setString(3, keys.keyId());
      insert.setBytes(4, wrapped);
      if (insert.executeUpdate() == 1) {
        key = new SecretKeySpec(raw, "AES");
        dataKeys.put(id, new CachedKey(wrapped, key));
      } else {
        key = storedKey(c, id); // another instance created it first
      }
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    if (key == null) {
      throw new SQLException("a data key was created and deleted at once by other instances; try again", "40001");
    }
    checked.put(id, key);
    return key;
  }

  /** The stored data key of (conversation, sender) as {@link #dataKey} checks it, or null if there is none. */
  private @Nullable SecretKeySpec existingKey(Connection c, String conversation, String sender) throws SQLException {
    DataKeyId id = new DataKeyId(conversation, sender);
    SecretKeySpec known = checked.get(id);
    if (known == null && !dialect.shared()) {
      // This instance owns the database: its cache is right (cleared on every erasure and rollback).
      CachedKey cached = dataKeys.get(id);
      known = cached == null ? null : cached.key();
    }
    if (known != null) {
      return known;
    }
    SecretKeySpec key = storedKey(c, id);
    if (key != null) {
      checked.put(id, key);
    }
    return key;
  }

  /** The stored data key of {@code id}, locked against deletion until the transaction ends; null if there is none. */
  private @Nullable SecretKeySpec storedKey(Connection c, DataKeyId id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT wrapped FROM data_keys WHERE conversation_id = ? AND sender_id = ?"
        + dialect.shareLock())) {
      select.setString(1, id.conversation());
      select.setString(2, id.sender());
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        byte[] wrapped = rs.getBytes(1);
        CachedKey cached = dataKeys.get(id);
        if (cached != null && Arrays.equals(cached.wrapped(), wrapped)) {
          return cached.key();
        }
        byte[] raw = keys.unwrap(wrapped);
        SecretKeySpec key = new SecretKeySpec(raw, "AES");
        Arrays.fill(raw, (byte) 0);
        dataKeys.put(id, new CachedKey(wrapped, key));
        return key;
      }
    }
  }

  /**
   * What a ciphertext is bound to: its ids, its sender and its commitment, each length-prefixed, so
   * that no ciphertext decrypts as another message's, and a changed commitment column is noticed.
   */
  private static byte[] associatedData(MessageRef ref, String sender, Hash32 commitment) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (String part : new String[] {"chainseal-store/2", ref.conversationId(), ref.messageId(), sender}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      out.writeBytes(bytes);
    }
    out.writeBytes(commitment.bytes());
    return out.toByteArray();
  }

  private byte[] seal(SecretKeySpec key, byte[] associatedData, MessageRef ref, byte[] plaintext) {
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(associatedData);
      byte[] sealed = cipher.doFinal(plaintext);
      Arrays.fill(plaintext, (byte) 0);
      return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new StoreException("cannot encrypt " + ref + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private static byte[] open(SecretKeySpec key, byte[] associatedData, MessageRef ref, byte[] sealed) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
    } catch (GeneralSecurityException e) {
      throw new StoreException("cannot decrypt " + ref + " (tampered, or moved to another id): " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public void putProof(MessageRef ref, MessageProof proof) {
    Objects.requireNonNull(ref, "ref == null");
    Objects.requireNonNull(proof, "proof == null");
    update("putProof " + ref, true, c -> {
      // Locked, as an erasure locks the rows it erases: the proof is reduced if and only if the message is erased.
      try (PreparedStatement select = c.prepareStatement(
          "SELECT commitment, erased_at FROM messages WHERE conversation_id = ? AND message_id = ?" + dialect.updateLock())) {
        select.setString(1, ref.conversationId());
        select.setString(2, ref.messageId());
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalStateException(ref + " is not stored");
          }
          if (!Hash32.of(rs.getBytes(1)).equals(proof.commitment())) {
            throw new IllegalArgumentException("the proof is of commitment " + proof.commitment() + ", not of " + ref + "'s");
          }
          boolean erased = rs.getObject(2) != null;
          try (PreparedStatement update = c.prepareStatement(
              "UPDATE messages SET proof = ? WHERE conversation_id = ? AND message_id = ?")) {
            update.setString(1, ProofCodec.toJson(erased ? proof.redactedForErasure() : proof));
            update.setString(2, ref.conversationId());
            update.setString(3, ref.messageId());
            update.executeUpdate();
          }
        }
      }
    });
  }

  @Override
  public Optional<StoreEntry> get(MessageRef ref) {
    Objects.requireNonNull(ref, "ref == null");
    return transaction("get " + ref, true, c -> {
      Optional<StoreEntry> entry = read(c, ref);
      if (entry == null) {
        // The message's key was deleted between reading the row and the key: an erasure by another
        // instance committed in between. Read again, and the row says so.
        entry = read(c, ref);
      }
      if (entry == null) {
        throw new StoreException("the data key of stored message " + ref + " is missing from " + name, null);
      }
      return entry;
    });
  }

  /** The stored message, decrypted; null if its data key is missing. */
  @SuppressWarnings({"OptionalAssignedToNull", "NullableOptional"}) // null (not empty) means "read again": the row changed under us
  private @Nullable Optional<StoreEntry> read(Connection c, MessageRef ref) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT sender_id, commitment, sealed, proof, erased_at FROM messages"
        + " WHERE conversation_id = ? AND message_id = ?")) {
      select.setString(1, ref.conversationId());
      select.setString(2, ref.messageId());
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Hash32 commitment = Hash32.of(rs.getBytes("commitment"));
        byte[] sealed = rs.getBytes("sealed");
        String proofJson = rs.getString("proof");
        long erasedAt = rs.getLong("erased_at");
        boolean erased = !rs.wasNull();
        String sender = rs.getString("sender_id");
        Optional<SaltedEnvelope> message = Optional.empty();
        if (!erased && sealed != null && sender != null) {
          SecretKeySpec key = existingKey(c, ref.conversationId(), sender);
          if (key == null) {
            return null;
          }
          byte[] plaintext = open(key, associatedData(ref, sender, commitment), ref, sealed);
          try {
            message = Optional.of(EnvelopeCodec.parseSalted(plaintext));
          } catch (FormatException e) {
            throw new StoreException("the stored message " + ref + " does not parse: " + e.getMessage(), e);
          } finally {
            Arrays.fill(plaintext, (byte) 0);
          }
        }
        Optional<MessageProof> proof = Optional.empty();
        if (proofJson != null) {
          try {
            proof = Optional.of(ProofCodec.parse(proofJson));
          } catch (FormatException e) {
            throw new StoreException("the stored proof of " + ref + " does not parse: " + e.getMessage(), e);
          }
        }
        return Optional.of(new StoreEntry(ref, commitment, message, proof,
            erased ? Optional.of(Instant.ofEpochMilli(erasedAt)) : Optional.empty()));
      }
    }
  }

  @Override
  public List<MessageRef> conversation(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return transaction("conversation", true, c -> {
      List<MessageRef> out = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT message_id FROM messages WHERE conversation_id = ? ORDER BY seq")) {
        select.setString(1, conversationId);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(new MessageRef(conversationId, rs.getString(1)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public ErasureReceipt erase(MessageRef ref) {
    Objects.requireNonNull(ref, "ref == null");
    return erasure(ErasureReceipt.Scope.MESSAGE, encode(ref.conversationId()) + " " + encode(ref.messageId()),
        "conversation_id = ? AND message_id = ?", List.of(ref.conversationId(), ref.messageId()), null);
  }

  @Override
  public ErasureReceipt eraseSender(String senderId) {
    String sender = MessageRef.normalizedId(senderId, "senderId");
    return erasure(ErasureReceipt.Scope.SENDER, sender, "sender_id = ?", List.of(sender), "sender_id = ?");
  }

  @Override
  public ErasureReceipt eraseConversation(String conversationId) {
    String conversation = MessageRef.normalizedId(conversationId, "conversationId");
    return erasure(ErasureReceipt.Scope.CONVERSATION, conversation, "conversation_id = ?", List.of(conversation),
        "conversation_id = ?");
  }

  @Override
  public ErasureReceipt eraseStoredBefore(String conversationId, Instant cutoff) {
    String conversation = MessageRef.normalizedId(conversationId, "conversationId");
    Objects.requireNonNull(cutoff, "cutoff == null");
    return erasure(ErasureReceipt.Scope.RETENTION, encode(conversation) + " " + cutoff, "conversation_id = ? AND stored_at < ?",
        List.of(conversation, cutoff.toEpochMilli()), null);
  }

  @Override
  public List<String> conversations() {
    return transaction("conversations", true, c -> {
      List<String> out = new ArrayList<>();
      try (Statement statement = c.createStatement();
          ResultSet rs = statement.executeQuery("SELECT DISTINCT conversation_id FROM messages ORDER BY conversation_id")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  /**
   * Erases the messages {@code where} selects (not erased yet), and the data keys {@code keysWhere}
   * selects; then truncates the write-ahead log, so no old page of theirs stays in it.
   */
  private ErasureReceipt erasure(ErasureReceipt.Scope scope, String subject, String where, List<?> arguments,
      @Nullable String keysWhere) {
    Instant now = Instant.ofEpochMilli(clock.millis());
    ErasureReceipt receipt = transaction("erase " + scope, false, c -> {
      if (keysWhere != null && !dialect.updateLock().isEmpty()) {
        // Lock the keys first: an instance encrypting under one of them (holding it shared) finishes
        // first and its message is erased here too; one that comes later finds the key gone.
        try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM data_keys WHERE " + keysWhere
            + " ORDER BY conversation_id, sender_id" + dialect.updateLock())) {
          bind(lock, arguments);
          lock.executeQuery().close();
        }
      }
      List<ErasureReceipt.Erased> out = new ArrayList<>();
      List<String> proofs = new ArrayList<>();
      // Locked: a concurrent putProof or erasure waits, then sees these rows erased.
      try (PreparedStatement select = c.prepareStatement("SELECT conversation_id, message_id, commitment, proof FROM messages WHERE "
          + where + " AND erased_at IS NULL ORDER BY seq" + dialect.updateLock())) {
        bind(select, arguments);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(new ErasureReceipt.Erased(new MessageRef(rs.getString(1), rs.getString(2)), Hash32.of(rs.getBytes(3))));
            proofs.add(rs.getString(4));
          }
        }
      }
      try (PreparedStatement update = c.prepareStatement("UPDATE messages SET sealed = NULL, sender_id = NULL, proof = ?, erased_at = ?"
          + " WHERE conversation_id = ? AND message_id = ? AND erased_at IS NULL")) {
        for (int i = 0; i < out.size(); i++) {
          String proof = proofs.get(i);
          if (proof == null) {
            update.setNull(1, Types.VARCHAR);
          } else {
            try {
              update.setString(1, ProofCodec.toJson(ProofCodec.parse(proof).redactedForErasure()));
            } catch (FormatException e) {
              update.setNull(1, Types.VARCHAR); // an unreadable proof is dropped with the message
            }
          }
          update.setLong(2, now.toEpochMilli());
          update.setString(3, out.get(i).ref().conversationId());
          update.setString(4, out.get(i).ref().messageId());
          update.addBatch();
        }
        int[] counts = update.executeBatch();
        for (int count : counts) {
          if (count == 0) {
            throw new SQLException("a message selected for erasure changed under the erasure's lock", "40001");
          }
        }
      }
      if (keysWhere != null) {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM data_keys WHERE " + keysWhere)) {
          bind(delete, arguments);
          delete.executeUpdate();
        }
        dataKeys.clear(); // dropped from memory too: they are read again (if they still exist) when needed
      }
      // The receipt is kept with the erasure, in the same transaction: it is never lost.
      ErasureReceipt signed = ErasureReceipt.sign(scope, subject, out, now, operator);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO receipts (statement, signer, signature) VALUES (?, ?, ?)")) {
        insert.setString(1, signed.statement());
        insert.setString(2, signed.signature().signer().toText());
        insert.setBytes(3, signed.signature().value());
        insert.executeUpdate();
      }
      return List.of(signed);
    }).get(0);
    afterErasure();
    return receipt;
  }

  /** After an erasure committed: removes the copies of erased rows the database keeps elsewhere, where it can. */
  abstract void afterErasure();

  /** Every erasure receipt this store issued, oldest first. */
  public List<ErasureReceipt> receipts() {
    return transaction("receipts", true, c -> {
      List<ErasureReceipt> out = new ArrayList<>();
      try (Statement statement = c.createStatement();
          ResultSet rs = statement.executeQuery("SELECT statement, signer, signature FROM receipts ORDER BY seq")) {
        while (rs.next()) {
          out.add(ErasureReceipt.parse(rs.getString(1),
              io.chainseal.core.MessageSignature.of(io.chainseal.core.SignerId.parse(rs.getString(2)), rs.getBytes(3))));
        }
      }
      return out;
    });
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static void bind(PreparedStatement statement, List<?> arguments) throws SQLException {
    for (int i = 0; i < arguments.size(); i++) {
      statement.setObject(i + 1, arguments.get(i));
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    dataKeys.clear();
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("closing " + name + " failed: " + JdbcJournal.redact(e.getMessage()), e);
    } finally {
      connection = null;
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + ", keys " + keys.keyId() + "]";
  }
}
