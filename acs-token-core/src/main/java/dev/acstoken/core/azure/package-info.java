/**
 * The implementation of {@link dev.acstoken.core.TokenProvider} and {@link
 * dev.acstoken.core.IdentityOperations} over the Azure Communication Identity SDK: {@link
 * dev.acstoken.core.azure.AcsIdentityClient}, configured from a {@link
 * dev.acstoken.core.azure.ConnectionString}, an endpoint and access key, an endpoint and an Azure
 * {@code TokenCredential}, or the environment.
 *
 * <p>Azure SDK types appear here only as configuration handed through to the SDK (its {@code
 * HttpClient}, {@code RetryOptions} and {@code TokenCredential}).
 */
@NullMarked
package dev.acstoken.core.azure;

import org.jspecify.annotations.NullMarked;
