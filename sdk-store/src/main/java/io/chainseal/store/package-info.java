/**
 * A message store with encryption at rest and erasure by crypto-shredding: {@link
 * io.chainseal.store.SqliteMessageStore} implements {@link io.chainseal.core.MessageStore}, with data keys
 * wrapped by a {@link io.chainseal.core.KeyProvider} ({@link io.chainseal.store.KeystoreKeyProvider} by
 * default).
 */
@NullMarked
package io.chainseal.store;

import org.jspecify.annotations.NullMarked;
