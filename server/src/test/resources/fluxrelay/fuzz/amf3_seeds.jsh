// Re-encodes the AMF0 seeds as AMF3 with the project's own Amf3Writer (no client we can run sends AMF3).
// Run from server/ after a build: jshell --class-path target/classes:NETTY_BUFFER_JAR:NETTY_COMMON_JAR src/test/resources/fluxrelay/fuzz/amf3_seeds.jsh
import fluxrelay.rtmp.amf.*;
import io.netty.buffer.*;
import java.nio.file.*;
Path in = Path.of("src/test/resources/fluxrelay/fuzz/Amf0FuzzTestInputs/readAmf0");
Path out = Path.of("src/test/resources/fluxrelay/fuzz/Amf3FuzzTestInputs/readAmf3");
try (var files = Files.list(in)) {
    for (Path f : files.sorted().toList()) {
        var values = new Amf0Reader(AmfLimits.DEFAULT).readAll(Unpooled.wrappedBuffer(Files.readAllBytes(f)));
        ByteBuf buf = Unpooled.buffer();
        Amf3Writer.writeAll(buf, values);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        Files.write(out.resolve(f.getFileName().toString() + "-as-amf3"), bytes);
    }
}
/exit
