package dev.pen.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reported a buffer leak during it. Registered for every test
 * class by JUnit's extension auto-detection; its detector factory is installed before any buffer class loads.
 * After each class it collects garbage and allocates a little, so that leaks of that class are reported.
 */
public final class LeakCheck implements AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> found = collect();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " buffer leak(s) reported during " + context.getDisplayName()
                    + ":\n" + String.join("\n", found));
        }
    }

    /** Runs the collector and the detector, returns and forgets the leaks reported so far. */
    public static List<String> collect() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            System.runFinalization();
            for (int i = 0; i < 200; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                a.release();
                b.release();
            }
        }
        List<String> found = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return found;
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval) {
                @Override
                protected boolean needReport() {
                    return true;
                }

                @Override
                protected void reportTracedLeak(String type, String records) {
                    LEAKS.add("LEAK: " + type + records);
                    super.reportTracedLeak(type, records);
                }

                @Override
                protected void reportUntracedLeak(String type) {
                    LEAKS.add("LEAK: " + type + " (untraced)");
                    super.reportUntracedLeak(type);
                }
            };
        }
    }
}
