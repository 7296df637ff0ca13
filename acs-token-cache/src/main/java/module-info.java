/**
 * acs-token cache: {@link dev.acstoken.cache.CachingTokenProvider}, a refresh-before-expiry token
 * cache over any {@link dev.acstoken.core.TokenProvider}, and an optional Micrometer binding.
 */
module dev.acstoken.cache {
  requires transitive dev.acstoken.core;
  requires transitive com.azure.communication.common;
  requires org.slf4j;
  // optional: only users who bind metrics have Micrometer, and they read it themselves; not
  // transitive, so that a module that reads this one compiles without Micrometer
  requires static micrometer.core;

  exports dev.acstoken.cache;
  exports dev.acstoken.cache.micrometer;
}
