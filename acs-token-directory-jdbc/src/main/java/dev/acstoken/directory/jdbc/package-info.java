/**
 * The identity directory on plain JDBC: {@link dev.acstoken.directory.jdbc.JdbcIdentityDirectory},
 * core's {@code IdentityDirectory} over one table, with exactly-once identity creation per user
 * across threads and service instances, crash recovery ({@link
 * dev.acstoken.directory.jdbc.JdbcIdentityDirectory#reconcile()}) and a retry-safe forget.
 */
@NullMarked
package dev.acstoken.directory.jdbc;

import org.jspecify.annotations.NullMarked;
