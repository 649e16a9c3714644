/* bcryptprimitives.dll for Wine, with the one function Rust's std imports from it.
 *
 * On Windows, std gets its random bytes (HashMap's keys, among others) from
 * ProcessPrng in bcryptprimitives.dll, a system DLL that Debian's Wine 8 does not
 * have: without it, no Rust program built for x86_64-pc-windows-gnu starts under Wine
 * (it ends with exit code 53). `.ci/run` builds this file with MinGW into the Wine
 * prefix's system32, so that the runner's Windows tests run there. It is for CI under
 * Wine only: Windows has the real DLL, and nothing of the kit ships this one. */
#include <windows.h>

/* advapi32's RtlGenRandom, exported under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
