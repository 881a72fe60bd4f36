package io.chainseal.wallet;

import io.chainseal.chain.JournalException;
import io.chainseal.chain.jdbc.JdbcJournal;
import io.chainseal.chain.jdbc.SqliteFile;
import io.chainseal.core.EvmAddress;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded default {@link WalletJournal}: one SQLite file (WAL, {@code synchronous=FULL}), owned by
 * one process at a time — a second opener is refused — so this process alone signs for the accounts
 * whose payments it holds. Payments and transactions share the file and the transaction tables of
 * every Chainseal journal ({@link JdbcJournal}). Needs {@code org.xerial:sqlite-jdbc} on the class path.
 */
public final class SqliteWalletJournal extends JdbcJournal implements WalletJournal, VoucherStore {
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        schema_version INTEGER NOT NULL,
        leader_epoch INTEGER NOT NULL DEFAULT 0);
      INSERT OR IGNORE INTO meta (id, schema_version, leader_epoch) VALUES (1, 1, 0);
      CREATE TABLE IF NOT EXISTS payments (
        payment_id TEXT PRIMARY KEY,
        sender TEXT NOT NULL,
        recipient TEXT NOT NULL,
        token TEXT NOT NULL,
        symbol TEXT NOT NULL,
        decimals INTEGER NOT NULL,
        base_units TEXT NOT NULL,
        recorded_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS payments_by_sender ON payments (sender, recorded_at);
      CREATE TABLE IF NOT EXISTS vouchers (
        channel_id BLOB PRIMARY KEY,
        cumulative TEXT NOT NULL,
        signature BLOB NOT NULL,
        paid_for TEXT NOT NULL)
      """ + ";\n" + JdbcJournal.SQLITE_TRANSACTION_TABLES;

  private final SqliteFile file;

  private SqliteWalletJournal(Path path, SqliteFile file, Connection first) {
    super(path.toString(), file.connector(), first, JdbcJournal.Dialect.SQLITE);
    this.file = file;
  }

  /**
   * Opens (creating if needed) the journal at {@code file} and takes it for this process.
   *
   * @throws JournalException if another process or object has it open, or it cannot be opened
   */
  public static SqliteWalletJournal open(Path file) {
    Objects.requireNonNull(file, "file == null");
    SqliteFile owned = SqliteFile.lock(file, "wallet");
    try {
      Connection connection = owned.connector().open();
      try {
        try (Statement statement = connection.createStatement()) {
          createSchema(statement, SCHEMA);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      SqliteWalletJournal journal = new SqliteWalletJournal(file, owned, connection);
      if (!journal.tryLead()) {
        journal.close();
        throw new JournalException("journal " + file + " could not be taken for this process", false);
      }
      return journal;
    } catch (SQLException | RuntimeException e) {
      try {
        owned.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof JournalException journal) {
        throw journal;
      }
      throw new JournalException("cannot open journal " + file + ": " + redact(e.getMessage()), false, e);
    }
  }

  @Override
  public Optional<StoredPayment> recordPayment(StoredPayment payment) {
    Objects.requireNonNull(payment, "payment == null");
    return transaction("recordPayment", true, c -> {
      PaymentOrder order = payment.order();
      try (PreparedStatement insert = c.prepareStatement("INSERT OR IGNORE INTO payments (payment_id, sender, recipient, token,"
          + " symbol, decimals, base_units, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, order.paymentId());
        insert.setString(2, payment.from().checksummed());
        insert.setString(3, order.to().checksummed());
        insert.setString(4, order.token().id());
        insert.setString(5, order.token().symbol());
        insert.setInt(6, order.token().decimals());
        insert.setString(7, order.baseUnits().toString());
        insert.setLong(8, payment.recordedAt().toEpochMilli());
        if (insert.executeUpdate() == 1) {
          return Optional.<StoredPayment>empty();
        }
      }
      return payment(c, order.paymentId());
    });
  }

  @Override
  public Optional<StoredPayment> payment(String paymentId) {
    Objects.requireNonNull(paymentId, "paymentId == null");
    return read("payment", c -> payment(c, paymentId));
  }

  @Override
  public List<StoredPayment> payments(EvmAddress from) {
    Objects.requireNonNull(from, "from == null");
    return read("payments", c -> {
      List<StoredPayment> out = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT * FROM payments WHERE sender = ? ORDER BY recorded_at, payment_id")) {
        select.setString(1, from.checksummed());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(stored(rs));
          }
        }
      }
      return out;
    });
  }

  /**
   * Keeps the voucher if it is the channel's highest (durable when this returns). Amounts are stored as
   * 64 hex digits, so the database compares them as text in numeric order.
   */
  @Override
  public boolean keepIfHigher(Voucher voucher, String paidFor) {
    Objects.requireNonNull(voucher, "voucher == null");
    Objects.requireNonNull(paidFor, "paidFor == null");
    String amount = String.format("%064x", voucher.cumulativeAmount());
    return transaction("keepIfHigher", false, c -> {
      try (PreparedStatement upsert = c.prepareStatement("INSERT INTO vouchers (channel_id, cumulative, signature, paid_for)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET cumulative = excluded.cumulative,"
          + " signature = excluded.signature, paid_for = excluded.paid_for"
          + " WHERE excluded.cumulative > vouchers.cumulative")) {
        upsert.setBytes(1, voucher.channelId().bytes());
        upsert.setString(2, amount);
        upsert.setBytes(3, voucher.signature().bytes());
        upsert.setString(4, paidFor);
        return upsert.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<Kept> kept(io.chainseal.core.Hash32 channelId) {
    Objects.requireNonNull(channelId, "channelId == null");
    return read("kept", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT cumulative, signature, paid_for FROM vouchers WHERE channel_id = ?")) {
        select.setBytes(1, channelId.bytes());
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next()) {
            return Optional.<Kept>empty();
          }
          return Optional.of(new Kept(new Voucher(channelId, new BigInteger(rs.getString(1), 16),
              io.chainseal.chain.EcdsaSignature.of(rs.getBytes(2))), rs.getString(3)));
        }
      }
    });
  }

  private static Optional<StoredPayment> payment(Connection c, String paymentId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT * FROM payments WHERE payment_id = ?")) {
      select.setString(1, paymentId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
      }
    }
  }

  private static StoredPayment stored(ResultSet rs) throws SQLException {
    String tokenId = rs.getString("token");
    Token token = tokenId.equals("ETH") ? Token.ETH
        : Token.erc20(EvmAddress.fromHex(tokenId), rs.getString("symbol"), rs.getInt("decimals"));
    PaymentOrder order = new PaymentOrder(rs.getString("payment_id"), EvmAddress.fromHex(rs.getString("recipient")), token,
        token.fromBaseUnits(new BigInteger(rs.getString("base_units"))));
    return new StoredPayment(order, EvmAddress.fromHex(rs.getString("sender")), Instant.ofEpochMilli(rs.getLong("recorded_at")));
  }

  /** The file lock is the leadership lock: this process owns the file while it is open. */
  @Override
  protected boolean acquireLock() {
    return file.isHeld();
  }

  @Override
  protected boolean lockHeld() {
    return file.isHeld();
  }

  @Override
  protected void releaseLock() {
    // Kept until close(): it also keeps other processes out.
  }

  @Override
  public synchronized void close() {
    try {
      super.close();
    } finally {
      file.close();
    }
  }
}
