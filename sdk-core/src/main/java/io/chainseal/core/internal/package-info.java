/** Implementation of Chainseal core. Not API: may change in any release. */
@NullMarked
package io.chainseal.core.internal;

import org.jspecify.annotations.NullMarked;
