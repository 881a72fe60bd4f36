package io.chainseal.wallet;

import io.chainseal.chain.jdbc.JdbcJournal;
import io.chainseal.core.EvmAddress;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the SQLite and PostgreSQL wallet journals share: the payments and vouchers tables and every
 * query on them (in syntax both databases read), on top of the shared {@link JdbcJournal}
 * (transactions, fencing, reconnection). Recording a payment is a leader write; keeping a voucher is
 * not (it only ever raises a channel's highest amount).
 */
abstract class JdbcWalletJournal extends JdbcJournal implements WalletJournal, VoucherStore {
  JdbcWalletJournal(String name, Connector connector, Connection first, JdbcJournal.Dialect dialect,
      io.chainseal.chain.jdbc.LeaderLock lock) {
    super(name, connector, first, dialect, lock);
  }

  /**
   * Adds the vouchers columns a journal written by an earlier development version lacks (CREATE TABLE
   * IF NOT EXISTS leaves an existing table as it was).
   */
  static void upgrade(Connection connection) throws SQLException {
    addColumnIfMissing(connection, "vouchers", "paid_for", "TEXT NOT NULL DEFAULT ''");
    addColumnIfMissing(connection, "vouchers", "answer", "TEXT");
  }

  private static void addColumnIfMissing(Connection connection, String table, String column, String definition) throws SQLException {
    boolean present;
    try (PreparedStatement probe = connection.prepareStatement("SELECT * FROM " + table + " WHERE 1 = 0");
        ResultSet rs = probe.executeQuery()) {
      present = false;
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        present |= rs.getMetaData().getColumnName(i).equalsIgnoreCase(column);
      }
    }
    if (!present) {
      try (java.sql.Statement statement = connection.createStatement()) {
        statement.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + definition);
      }
    }
  }

  @Override
  public Optional<StoredPayment> recordPayment(StoredPayment payment) {
    Objects.requireNonNull(payment, "payment == null");
    return transaction("recordPayment", true, c -> {
      PaymentOrder order = payment.order();
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO payments (payment_id, sender, recipient, token,"
          + " symbol, decimals, base_units, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (payment_id) DO NOTHING")) {
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
      try (PreparedStatement upsert = c.prepareStatement("INSERT INTO vouchers (channel_id, cumulative, signature, paid_for, answer)"
          + " VALUES (?, ?, ?, ?, NULL) ON CONFLICT (channel_id) DO UPDATE SET cumulative = excluded.cumulative,"
          + " signature = excluded.signature, paid_for = excluded.paid_for, answer = NULL"
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
  public void keepAnswer(io.chainseal.core.Hash32 channelId, BigInteger cumulativeAmount, String answer) {
    Objects.requireNonNull(channelId, "channelId == null");
    Objects.requireNonNull(answer, "answer == null");
    String amount = String.format("%064x", cumulativeAmount);
    transaction("keepAnswer", false, c -> {
      try (PreparedStatement update = c.prepareStatement("UPDATE vouchers SET answer = ? WHERE channel_id = ? AND cumulative = ?")) {
        update.setString(1, answer);
        update.setBytes(2, channelId.bytes());
        update.setString(3, amount);
        update.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<Kept> kept(io.chainseal.core.Hash32 channelId) {
    Objects.requireNonNull(channelId, "channelId == null");
    return read("kept", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT cumulative, signature, paid_for, answer FROM vouchers WHERE channel_id = ?")) {
        select.setBytes(1, channelId.bytes());
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next()) {
            return Optional.<Kept>empty();
          }
          return Optional.of(new Kept(new Voucher(channelId, new BigInteger(rs.getString(1), 16),
              io.chainseal.chain.EcdsaSignature.of(rs.getBytes(2))), rs.getString(3), rs.getString(4)));
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

}
