package io.chainseal.store;

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
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
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
 * A {@link MessageStore} in one SQLite file. Each message's envelope and salt are encrypted with
 * AES-256-GCM under the data key of its (conversation, sender) pair, bound as associated data to its
 * ids, sender and commitment; data keys are stored only wrapped by the {@link KeyProvider}. No
 * plaintext content or salt is ever written. Erasing a message deletes its ciphertext and sender;
 * erasing a sender or a conversation also deletes the wrapped data keys. Deleted bytes are overwritten
 * in the database file ({@code secure_delete}) and the write-ahead log is truncated after every erasure
 * (and on opening, should a crash have come between), so the current file holds nothing readable of
 * what was erased. A copy of the file taken <em>before</em> an erasure still holds the wrapped keys,
 * which the key-encryption key unwraps: keep backups under keys you can destroy. Every erasure's
 * signed receipt is kept in the file with it ({@link #receipts()}). One instance owns the file
 * (SQLite's exclusive locking): a second one is refused. Thread-safe: one connection, calls serialized.
 */
public final class SqliteMessageStore implements MessageStore {
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS data_keys (
        conversation_id TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        kek_id TEXT NOT NULL,
        wrapped BLOB NOT NULL,
        PRIMARY KEY (conversation_id, sender_id));
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sender_id TEXT,
        commitment BLOB NOT NULL,
        sealed BLOB,
        proof TEXT,
        stored_at INTEGER NOT NULL,
        erased_at INTEGER,
        UNIQUE (conversation_id, message_id));
      CREATE INDEX IF NOT EXISTS messages_by_sender ON messages (sender_id);
      CREATE TABLE IF NOT EXISTS receipts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        statement TEXT NOT NULL,
        signer TEXT NOT NULL,
        signature BLOB NOT NULL);
      """;
  private static final int NONCE = 12;

  private final Connection connection;
  private final KeyProvider keys;
  private final Signer operator;
  private final Clock clock;
  private final String name;
  private final SecureRandom random = new SecureRandom();
  /** Which data key: one per (conversation, sender). */
  private record DataKeyId(String conversation, String sender) {}

  /** Unwrapped data keys: guarded by this. */
  private final Map<DataKeyId, SecretKeySpec> dataKeys = new HashMap<>();
  private boolean closed;

  private SqliteMessageStore(Connection connection, KeyProvider keys, Signer operator, Clock clock, String name) {
    this.connection = connection;
    this.keys = keys;
    this.operator = operator;
    this.clock = clock;
    this.name = name;
  }

  /**
   * Opens (or creates) the store in {@code file}.
   *
   * @param keys wraps the data keys
   * @param operator signs erasure receipts
   * @throws StoreException if the file cannot be opened
   */
  public static SqliteMessageStore open(Path file, KeyProvider keys, Signer operator) {
    return open(file, keys, operator, Clock.systemUTC());
  }

  /** As {@link #open(Path, KeyProvider, Signer)}, with the clock that dates erasures. */
  public static SqliteMessageStore open(Path file, KeyProvider keys, Signer operator, Clock clock) {
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(keys, "keys == null");
    Objects.requireNonNull(operator, "operator == null");
    Objects.requireNonNull(clock, "clock == null");
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement statement = c.createStatement()) {
        // One instance owns the file: a second one (or a backup tool reading it live) would keep its
        // own cache of data keys, and would stop the write-ahead log from being truncated on erasure.
        statement.execute("PRAGMA busy_timeout=1000");
        statement.execute("PRAGMA locking_mode=EXCLUSIVE");
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=FULL");
        statement.execute("PRAGMA secure_delete=ON");
        for (String ddl : SCHEMA.split(";")) {
          if (!ddl.isBlank()) {
            statement.execute(ddl);
          }
        }
        truncateLog(statement, file.getFileName().toString()); // an erasure cut short by a crash is finished here
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      c.setAutoCommit(false);
      return new SqliteMessageStore(c, keys, operator, clock, file.getFileName().toString());
    } catch (SQLException e) {
      throw new StoreException("cannot open the message store " + file + " (is it open in another instance or process?): "
          + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private synchronized <T> T transaction(String what, Work<T> work) {
    if (closed) {
      throw new StoreException("message store " + name + " is closed", null);
    }
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException e) {
      rollback();
      throw new StoreException(what + " failed on " + name + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      rollback(); // an error half way through a batch must not leave its first rows for the next commit
      throw e;
    }
  }

  private void rollback() {
    // A data key created in the rolled-back transaction was never stored: forget every cached key
    // rather than encrypt later messages under a key that is not in the file.
    dataKeys.clear();
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the next call reports it
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
    transaction("put of " + copy.size(), c -> {
      try (PreparedStatement existing = c.prepareStatement(
              "SELECT commitment, erased_at FROM messages WHERE conversation_id = ? AND message_id = ?");
          PreparedStatement insert = c.prepareStatement("INSERT INTO messages (conversation_id, message_id, sender_id, commitment,"
              + " sealed, stored_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (SaltedEnvelope message : copy) {
          insert(c, existing, insert, message);
        }
      }
      return null;
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
    insert.executeUpdate();
  }

  /** The data key of (conversation, sender), created and stored wrapped on first use. Caller holds the lock. */
  private SecretKeySpec dataKey(Connection c, String conversation, String sender) throws SQLException {
    DataKeyId cacheKey = new DataKeyId(conversation, sender);
    SecretKeySpec cached = dataKeys.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    try (PreparedStatement select = c.prepareStatement("SELECT wrapped FROM data_keys WHERE conversation_id = ? AND sender_id = ?")) {
      select.setString(1, conversation);
      select.setString(2, sender);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          byte[] raw = keys.unwrap(rs.getBytes(1));
          SecretKeySpec key = new SecretKeySpec(raw, "AES");
          Arrays.fill(raw, (byte) 0);
          dataKeys.put(cacheKey, key);
          return key;
        }
      }
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO data_keys (conversation_id, sender_id, kek_id, wrapped) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, conversation);
      insert.setString(2, sender);
      insert.setString(3, keys.keyId());
      insert.setBytes(4, keys.wrap(raw));
      insert.executeUpdate();
    }
    SecretKeySpec key = new SecretKeySpec(raw, "AES");
    Arrays.fill(raw, (byte) 0);
    dataKeys.put(cacheKey, key);
    return key;
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
    transaction("putProof " + ref, c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT commitment, erased_at FROM messages WHERE conversation_id = ? AND message_id = ?")) {
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
      return null;
    });
  }

  @Override
  public Optional<StoreEntry> get(MessageRef ref) {
    Objects.requireNonNull(ref, "ref == null");
    return transaction("get " + ref, c -> {
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
            byte[] plaintext = open(dataKey(c, ref.conversationId(), sender), associatedData(ref, sender, commitment), ref, sealed);
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
    });
  }

  @Override
  public List<MessageRef> conversation(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return transaction("conversation", c -> {
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
    return transaction("conversations", c -> {
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
    ErasureReceipt receipt = transaction("erase " + scope, c -> {
      List<ErasureReceipt.Erased> out = new ArrayList<>();
      List<String> proofs = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT conversation_id, message_id, commitment, proof FROM messages WHERE "
          + where + " AND erased_at IS NULL ORDER BY seq")) {
        bind(select, arguments);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(new ErasureReceipt.Erased(new MessageRef(rs.getString(1), rs.getString(2)), Hash32.of(rs.getBytes(3))));
            proofs.add(rs.getString(4));
          }
        }
      }
      try (PreparedStatement update = c.prepareStatement("UPDATE messages SET sealed = NULL, sender_id = NULL, proof = ?, erased_at = ?"
          + " WHERE conversation_id = ? AND message_id = ?")) {
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
        update.executeBatch();
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
    checkpoint();
    return receipt;
  }

  /** Every erasure receipt this store issued, oldest first. */
  public List<ErasureReceipt> receipts() {
    return transaction("receipts", c -> {
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

  /** Copies the write-ahead log into the database file and truncates it to zero bytes. */
  private synchronized void checkpoint() {
    try (Statement statement = connection.createStatement()) {
      connection.commit();
      connection.setAutoCommit(true);
      try {
        truncateLog(statement, name);
      } finally {
        connection.setAutoCommit(false);
      }
    } catch (SQLException e) {
      throw new StoreException("erased (and the receipt kept), but the write-ahead log of " + name + " could not be truncated: "
          + e.getMessage() + "; it is truncated when the store is opened next", e);
    }
  }

  /** {@code PRAGMA wal_checkpoint(TRUNCATE)}, whose refusal is a result row, not an error: checked. */
  private static void truncateLog(Statement statement, String name) throws SQLException {
    try (ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
      if (!rs.next() || rs.getInt(1) != 0 || rs.getInt(2) != rs.getInt(3)) {
        throw new SQLException("the write-ahead log of " + name + " was not fully checkpointed (busy: another reader holds it)");
      }
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    dataKeys.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("closing " + name + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SqliteMessageStore[" + name + ", keys " + keys.keyId() + "]";
  }
}
