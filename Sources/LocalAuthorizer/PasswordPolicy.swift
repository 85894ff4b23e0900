import AuthorizerClient

/// Authorizer 2.x's password rules and their exact messages.
enum PasswordPolicy {
    static func check(_ password: String, strong: Bool) throws(AuthorizerError) {
        guard (6...36).contains(password.utf8.count) else {
            throw .invalid("password must be of minimum 6 characters and maximum 36 characters")
        }
        guard strong else { return }
        let hasUpper = password.unicodeScalars.contains { CharacterSetRanges.upper.contains($0.value) }
        let hasLower = password.unicodeScalars.contains { CharacterSetRanges.lower.contains($0.value) }
        let hasDigit = password.unicodeScalars.contains { CharacterSetRanges.digit.contains($0.value) }
        let hasOther = password.unicodeScalars.contains { scalar in
            ![CharacterSetRanges.upper, CharacterSetRanges.lower, CharacterSetRanges.digit].contains {
                $0.contains(scalar.value)
            }
        }
        guard hasUpper, hasLower, hasDigit, hasOther else {
            throw .invalid(
                "password is not valid. It needs to be at least 6 characters long and contain at least one number, one uppercase letter, one lowercase letter and one special character"
            )
        }
    }

    private enum CharacterSetRanges {
        static let upper: ClosedRange<UInt32> = 0x41...0x5A
        static let lower: ClosedRange<UInt32> = 0x61...0x7A
        static let digit: ClosedRange<UInt32> = 0x30...0x39
    }
}
