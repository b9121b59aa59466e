package dev.labjournal.query.failures.signature;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageNormaliserTest {

    private static String n(String message) {
        return MessageNormaliser.normalise(message);
    }

    @Test
    void sizesNumbersAndDevicesBecomePlaceholders() {
        assertThat(n("CUDA out of memory. Tried to allocate 2.00 GiB. GPU 3 has a total capacity of 79.15 GiB of which"
                        + " 17.25 MiB is free."))
                .isEqualTo("CUDA out of memory. Tried to allocate <size>. GPU <n> has a total capacity of <size> of"
                        + " which <size> is free.");
        assertThat(n("found at least two devices, cuda:3 and cpu!"))
                .isEqualTo("found at least two devices, cuda:<n> and cpu!");
        assertThat(n("you tried to allocate 8589934592 bytes.")).isEqualTo("you tried to allocate <size>.");
        assertThat(n("on /job:localhost/replica:0/task:0/device:GPU:1 by allocator GPU_1_bfc"))
                .isEqualTo("on <device> by allocator GPU_<n>_bfc");
    }

    @Test
    void tensorShapesBecomeShape() {
        assertThat(n("input of shape [32, 3, 224, 224] and torch.Size([1000, 2048])"))
                .isEqualTo("input of shape <shape> and <shape>");
        assertThat(n("mat1 and mat2 shapes cannot be multiplied (32x2048 and 1024x10)"))
                .isEqualTo("mat1 and mat2 shapes cannot be multiplied (<shape> and <shape>)");
        assertThat(n("received input with shape (None, 28, 28)")).isEqualTo("received input with shape <shape>");
    }

    @Test
    void ranksTimesAndDurationsAreParameterised() {
        assertThat(n("[Rank 3] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=48211, OpType=ALLREDUCE,"
                        + " Timeout(ms)=1800000) ran for 1800094 milliseconds before timing out."))
                .isEqualTo("[Rank <n>] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=<n>,"
                        + " OpType=ALLREDUCE, Timeout(ms)=<n>) ran for <duration> before timing out.");
        assertThat(n("CANCELLED AT 2026-03-11T09:14:22 after 1800s")).isEqualTo("CANCELLED AT <time> after <duration>");
    }

    @Test
    void pathsUrlsAddressesHexAndUuidsArePlaceholders() {
        assertThat(n("No space left on device: '/mnt/ckpt/llm/step_1200/model.safetensors'"))
                .isEqualTo("No space left on device: '<path>'");
        assertThat(n("NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1275"))
                .isEqualTo("NCCL error in: <path>:<n>");
        assertThat(n("failed at alloc_cpu.cpp:83")).isEqualTo("failed at <file>:<n>");
        assertThat(n("connect to (10.0.3.17, 29500) see https://pytorch.org/docs/stable/distributed.html"))
                .isEqualTo("connect to (<ip>, <n>) see <url>");
        assertThat(n("object at 0x7f3a2c1b4d90, node 3f2a9c4e1b7d8e6f0a1b2c3d"))
                .isEqualTo("object at <hex>, node <hex>");
        assertThat(n("request 123e4567-e89b-12d3-a456-426614174000 failed")).isEqualTo("request <uuid> failed");
        assertThat(n("C:\\Users\\ada\\proj\\data.csv not found")).isEqualTo("<path> not found");
    }

    @Test
    void identifiersWithDigitsStayAndListsCollapse() {
        assertThat(n("resnet50 in float16 via ReluBackward0")).isEqualTo("resnet50 in float16 via ReluBackward0");
        assertThat(n("Missing key(s) in state_dict: \"fc.weight\", \"fc.bias\"."))
                .isEqualTo("Missing key(s) in state_dict: <names>.");
        assertThat(n("indices which did not receive grad for rank 0: 12 40 41"))
                .isEqualTo("indices which did not receive grad for rank <n>: <numbers>");
        assertThat(n("KeyError 'labels'")).isEqualTo("KeyError 'labels'");
        assertThat(n("Process 4123 got signal: 15")).isEqualTo("Process <n> got signal: SIGTERM");
        assertThat(n("Signal 9 (SIGKILL) received by PID 48213"))
                .isEqualTo("Signal SIGKILL (SIGKILL) received by PID <n>");
    }

    @Test
    void theKernelAlsoDropsModelLayerAndHostNames() {
        assertThat(MessageNormaliser.kernel(
                        n("Error(s) in loading state_dict for VisionTransformer: size mismatch for" + " head.weight")))
                .isEqualTo("Error(s) in loading <id> for <id>: size mismatch for <id>");
        assertThat(MessageNormaliser.kernel(n("*** STEP 4121487.0 ON a100-37 CANCELLED DUE TO PREEMPTION ***")))
                .isEqualTo("*** STEP <n> ON <id> CANCELLED DUE TO PREEMPTION ***");
        assertThat(MessageNormaliser.kernel(n("invalid value (nan) encountered in jit(train_step)")))
                .isEqualTo("invalid value (nan) encountered in jit(<fn>)");
        assertThat(MessageNormaliser.kernel(n("Function 'SqrtBackward0' returned nan values")))
                .isEqualTo("Function <name> returned nan values");
    }

    @Test
    void nothingIsEmpty() {
        assertThat(n(null)).isEmpty();
        assertThat(n("   ")).isEmpty();
        assertThat(n("x".repeat(5000))).hasSize(MessageNormaliser.MAX_CHARS);
        assertThat(n("'a', ".repeat(200_000)))
                .as("a long list, cut, not a stack overflow")
                .startsWith("<names>");
        assertThat(n("1, ".repeat(300_000))).startsWith("<numbers>");
        assertThat(n("/a".repeat(300_000))).isEqualTo("<path>");
    }
}
