using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Backcall.Sip.Trunks;

/// <summary>
/// The unit a source is counted in for limits: one IPv4 address, or one IPv6 /64. A /64 is what one
/// subscriber or host gets, so an attacker holding one can pick among 2^64 addresses; counting each would
/// give it an unlimited number of buckets and connection quotas.
/// </summary>
internal readonly record struct SourceKey(UInt128 Value)
{
    public static SourceKey Of(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            // The IPv4-mapped form (::ffff:a.b.c.d): never equal to a /64 key, whose low half is zero.
            address.TryWriteBytes(bytes[12..], out _);
            return new SourceKey(((UInt128)0xFFFF << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
        }

        address.TryWriteBytes(bytes, out _);
        return new SourceKey((UInt128)BinaryPrimitives.ReadUInt64BigEndian(bytes) << 64);
    }
}
