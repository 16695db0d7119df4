/**
 * Node flags the server runs with wherever it is deployed (Dockerfile, the systemd unit, the
 * built server's `npm start`) and in bench:server, for both servers it compares.
 * A larger young generation: the server allocates per message (parsed frames, answers,
 * party versions), and with Node's default 16 MiB semi-space, scavenges were ~12 % of its
 * CPU under join/leave churn. With 64 MiB, in the same bench on the quiet machine, fan-out
 * rose ~20 % and the join p99 stopped spiking (README, Performance). It costs up to ~3 × 64 MiB
 * of address space, touched only as the server allocates.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
