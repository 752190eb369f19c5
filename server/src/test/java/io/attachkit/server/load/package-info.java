/**
 * The server under a bounded loopback load: {@link io.attachkit.server.load.ServerLoadTest} drives a real
 * {@link io.attachkit.server.AttachkitServer}, run in a child JVM with a small heap by
 * {@link io.attachkit.server.load.LoadServerMain}, with concurrent clients, and then checks that nothing was lost.
 */
package io.attachkit.server.load;
