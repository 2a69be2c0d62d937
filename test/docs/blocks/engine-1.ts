import { Simulation, msToUs, type Actor, type ActorContext, type ActorRef } from 'clustersim/engine';

type Ping = { type: 'Ping'; seq: number };
type PingerInbox = { type: 'ping-due' };

class Pinger implements Actor<PingerInbox> {
  private seq = 0;
  constructor(private readonly ctx: ActorContext<PingerInbox>, private readonly peer: ActorRef<Ping>) {}
  onStart(): void {
    this.ctx.every(msToUs(1000), { type: 'ping-due' }); // a timer: a message to itself
  }
  onMessage(): void {
    this.ctx.send<Ping>(this.peer, { type: 'Ping', seq: ++this.seq }); // through the network
  }
}

const sim = new Simulation({ seed: 7, network: { latencyUs: [msToUs(1), msToUs(10)] } }, ['a', 'b']);
const b = sim.ref<Ping>('b', 'pong');
sim.defineNode('a', (node) => node.spawn<PingerInbox>('ping', (ctx) => new Pinger(ctx, b)));
sim.defineNode('b', (node) =>
  node.spawn<Ping>('pong', (ctx) => ({
    onMessage: (ping, env) => ctx.note('ping', `#${ping.seq} from ${env.fromNode}#${env.fromIncarnation}`),
  })),
);
sim.startAll();
sim.at(msToUs(3500), () => sim.crash('a'));
sim.at(msToUs(6000), () => sim.restart('a')); // incarnation 1: seq starts again at 1
sim.runUntil(msToUs(10_000));
console.log(sim.notes.map((n) => n.text), sim.traceHash());
// #1..#3 from a#0, then #1..#3 from a#1; sim.traceHash() is the same on every run
