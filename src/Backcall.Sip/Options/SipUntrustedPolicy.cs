namespace Backcall.Sip;

/// <summary>What to do with requests from a source that matches no configured trunk.</summary>
public enum SipUntrustedPolicy
{
    /// <summary>Say nothing: scanners learn nothing and we cannot be used to reflect traffic (default).</summary>
    Drop,

    /// <summary>Answer 403 Forbidden (still subject to the per-source rate limit).</summary>
    Forbidden,
}
