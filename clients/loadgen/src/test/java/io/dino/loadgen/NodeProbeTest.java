package io.dino.loadgen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeProbeTest {

    @Test
    void readsVmRssFromProcStatus() {
        String status = """
                Name:\tjava
                Umask:\t0022
                State:\tS (sleeping)
                VmPeak:\t 8012344 kB
                VmSize:\t 7990000 kB
                VmHWM:\t  412345 kB
                VmRSS:\t  398765 kB
                RssAnon:\t  380000 kB
                Threads:\t42
                """;

        assertThat(NodeProbe.parseVmRssKiB(status)).isEqualTo(398765);
    }

    @Test
    void procStatusWithoutVmRssIsAnError() {
        // Kernel threads and zombies have no VmRSS line.
        assertThatThrownBy(() -> NodeProbe.parseVmRssKiB("Name:\tkworker\nState:\tI (idle)\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsG1UsedHeapInTheJdk21Layout() {
        String heapInfo = """
                12345:
                 garbage-first heap   total 262144K, used 48123K [0x0000000700000000, 0x0000000800000000)
                  region size 2048K, 12 young (24576K), 2 survivors (4096K)
                 Metaspace       used 31000K, committed 31500K, reserved 1114112K
                  class space    used 3900K, committed 4100K, reserved 1048576K
                """;

        assertThat(NodeProbe.parseHeapUsedKiB(heapInfo)).isEqualTo(48123);
    }

    @Test
    void readsG1UsedHeapInTheJdk25Layout() {
        String heapInfo = """
                6404:
                garbage-first heap   total reserved 6172672K, committed 393216K, used 10598K [0x0000000687400000, 0x0000000800000000)
                 region size 4096K, 3 young (12288K), 1 survivors (4096K)
                """;

        assertThat(NodeProbe.parseHeapUsedKiB(heapInfo)).isEqualTo(10598);
    }

    @Test
    void sumsTheGenerationsOfParallelGc() {
        String heapInfo = """
                7172:
                 PSYoungGen      total 113152K, used 19457K [0x0000000782700000, 0x000000078a500000, 0x0000000800000000)
                  eden space 97280K, 20% used [0x0000000782700000,0x0000000783a00610,0x0000000788600000)
                  from space 15872K, 0% used [0x0000000789580000,0x0000000789580000,0x000000078a500000)
                  to   space 15872K, 0% used [0x0000000788600000,0x0000000788600000,0x0000000789580000)
                 ParOldGen       total 258048K, used 1000K [0x0000000687400000, 0x0000000697000000, 0x0000000782700000)
                  object space 258048K, 0% used [0x0000000687400000,0x0000000687400000,0x0000000697000000)
                 Metaspace       used 8923K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """;

        assertThat(NodeProbe.parseHeapUsedKiB(heapInfo)).isEqualTo(19457 + 1000);
    }

    @Test
    void convertsZgcMegabytes() {
        String heapInfo = """
                6706:
                ZHeap            used 62M, capacity 378M, max capacity 6028M
                 Cache           316M (1)
                  size classes   256M (1)
                """;

        assertThat(NodeProbe.parseHeapUsedKiB(heapInfo)).isEqualTo(62 * 1024);
    }

    @Test
    void readsShenandoahsUsedAfterTheNumber() {
        String heapInfo = """
                7051:
                Shenandoah Heap
                 6028M max, 6028M soft max, 408M committed, 30720K used
                 3014 x 2048 K regions
                Status: not cancelled
                """;

        assertThat(NodeProbe.parseHeapUsedKiB(heapInfo)).isEqualTo(30720);
    }

    @Test
    void outputWithoutHeapUsageIsAnError() {
        assertThatThrownBy(() -> NodeProbe.parseHeapUsedKiB("6404:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AttachNotSupportedException");
    }
}
