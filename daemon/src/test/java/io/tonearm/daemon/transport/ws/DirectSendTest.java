package io.tonearm.daemon.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Direct sends on a real epoll socket, read by a plain client socket. */
class DirectSendTest {

  private EventLoopGroup group;
  private Channel server;
  private Channel accepted;
  private Socket client;
  private DirectSend direct;

  @BeforeEach
  void connect() throws Exception {
    assumeTrue(Epoll.isAvailable(), "epoll only");
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    CompletableFuture<Channel> child = new CompletableFuture<>();
    server =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.SO_SNDBUF, 4096)
            .childHandler(
                new ChannelInitializer<EpollSocketChannel>() {
                  @Override
                  protected void initChannel(EpollSocketChannel ch) {
                    ch.pipeline().addLast(new ChannelInboundHandlerAdapter());
                    child.complete(ch);
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    client = new Socket();
    client.setReceiveBufferSize(4096);
    client.connect((InetSocketAddress) server.localAddress());
    accepted = child.get(5, TimeUnit.SECONDS);
    direct = onLoop(() -> DirectSend.of(accepted, accepted.pipeline().firstContext()));
  }

  @AfterEach
  void close() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close().sync();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private <T> T onLoop(Callable<T> task) throws Exception {
    return accepted.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
  }

  private static ByteBuf bytes(byte[] b) {
    return ByteBufAllocator.DEFAULT.directBuffer(b.length).writeBytes(b);
  }

  private byte[] read(int n) throws Exception {
    client.setSoTimeout(5000);
    byte[] got = new byte[n];
    new DataInputStream(client.getInputStream()).readFully(got);
    return got;
  }

  @Test
  void sendsTheWholeBufferWhenNothingIsQueued() throws Exception {
    assertNotNull(direct);
    ByteBuf b = bytes("hello".getBytes());
    assertTrue(onLoop(() -> direct.send(b)));
    assertEquals(0, b.refCnt());
    assertArrayEquals("hello".getBytes(), read(5));
  }

  @Test
  void sendsARangeOfASharedBufferAndLeavesTheBufferAsItWas() throws Exception {
    ByteBuf shared = bytes("xxhelloyy".getBytes());
    int sent = onLoop(() -> direct.send(shared, 2, 7));
    assertEquals(5, sent);
    assertEquals(1, shared.refCnt(), "no reference taken or given up");
    assertEquals(0, shared.readerIndex());
    assertEquals(9, shared.writerIndex());
    assertArrayEquals("hello".getBytes(), read(5));
    shared.release();
  }

  @Test
  void sendsNoRangeBehindWhatIsQueued() throws Exception {
    ByteBuf queued = bytes("ab".getBytes());
    ByteBuf shared = bytes("xcdx".getBytes());
    int sent =
        onLoop(
            () -> {
              accepted.write(queued); // not flushed: it waits in the outbound buffer
              int s = direct.send(shared, 1, 3);
              accepted.writeAndFlush(shared.retainedSlice(1, 2));
              return s;
            });
    assertEquals(0, sent);
    assertArrayEquals("abcd".getBytes(), read(4));
    assertEquals(1, shared.refCnt());
    shared.release();
  }

  @Test
  void leavesTheBufferToThePipelineBehindWhatIsQueued() throws Exception {
    ByteBuf queued = bytes("ab".getBytes());
    ByteBuf b = bytes("cd".getBytes());
    boolean sent =
        onLoop(
            () -> {
              accepted.write(queued); // not flushed: it waits in the outbound buffer
              boolean s = direct.send(b);
              accepted.writeAndFlush(b);
              return s;
            });
    assertFalse(sent);
    assertArrayEquals("abcd".getBytes(), read(4));
  }

  @Test
  void aSendTheSocketTakesInPartLeavesTheRestInOrder() throws Exception {
    // Fill the socket (the client does not read yet) until a send is refused or cut short, then
    // write the rest through the pipeline and read everything: the same bytes in the same order.
    int chunk = 16 << 10;
    int[] total = new int[1];
    boolean cut =
        onLoop(
            () -> {
              for (int k = 0; k < 200; k++) {
                byte[] p = new byte[chunk];
                for (int i = 0; i < chunk; i++) {
                  p[i] = (byte) ((total[0] + i) % 251); // a period prime to any buffer size
                }
                ByteBuf b = bytes(p);
                total[0] += chunk;
                if (!direct.send(b)) {
                  accepted.writeAndFlush(b);
                  return true;
                }
              }
              return false;
            });
    assertTrue(cut, "the socket took 3.2 MB without a short send");
    byte[] got = read(total[0]);
    for (int i = 0; i < got.length; i++) {
      if (got[i] != (byte) (i % 251)) {
        throw new AssertionError("byte " + i + " of " + got.length + " out of order");
      }
    }
  }

  @Test
  void noneOnAChannelWithoutADescriptor() {
    EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    ChannelHandlerContext first = ch.pipeline().firstContext();
    assertNull(DirectSend.of(ch, first));
    ch.finishAndReleaseAll();
  }
}
