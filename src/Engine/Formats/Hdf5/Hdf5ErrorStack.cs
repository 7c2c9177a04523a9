using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>Turns the HDF5 error stack of the current thread into text and clears it.</summary>
internal static unsafe class Hdf5ErrorStack
{
    /// <summary>"H5Dread failed: H5Dread(): can't read data; …" — call inside the gate, right after the failure.</summary>
    internal static string Drain(string function)
    {
        var messages = new List<string>();
        var keep = GCHandle.Alloc(messages);
        try
        {
            // Downward: from the API function to the innermost cause, which ends the message.
            _ = NativeMethods.H5Ewalk2(NativeMethods.H5E_DEFAULT, NativeMethods.H5E_WALK_DOWNWARD, &Collect, (void*)GCHandle.ToIntPtr(keep));
        }
        finally
        {
            keep.Free();
            _ = NativeMethods.H5Eclear2(NativeMethods.H5E_DEFAULT);
        }

        return messages.Count == 0
            ? $"{function} failed (the HDF5 error stack is empty)"
            : $"{function} failed: {string.Join("; ", messages)}";
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Collect(uint depth, H5ErrorRecord* record, void* clientData)
    {
        // An exception must not cross back into C; a lost message is the lesser harm.
        try
        {
            var messages = (List<string>)GCHandle.FromIntPtr((nint)clientData).Target!;
            var function = Marshal.PtrToStringUTF8((nint)record->FunctionName) ?? "?";
            var description = Marshal.PtrToStringUTF8((nint)record->Description) ?? string.Empty;
            messages.Add($"{function}(): {description}");
        }
        catch (Exception)
        {
            return -1;
        }

        return 0;
    }
}
