{
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {
    "publicKey": {
      "hint": "7aa35d4ac09ee3d8460baa974dd6c513412cae3163eca09d5cf9eec326ee5930"
    },
    "tlogEntries": []
  },
  "dsseEnvelope": {
    "payload": "eyJwcmVkaWNhdGUiOiB7InJlc291cmNlcyI6IFt7Im5hbWUiOiAiY29uZmlnLmpzb24iLCAiZGlnZXN0IjogImZlZjY4ZDJmMjIzNmMyNTQ0ZmYyYTQ5ZGU1NWQxNjZjZWQ4ZDcwYzcxMGU1MjYxOGUwMDZkYjEwYmMyMTA2M2YiLCAiYWxnb3JpdGhtIjogInNoYTI1NiJ9LCB7Im5hbWUiOiAibmVzdGVkL2RlZXBlci9ub3Rlcy50eHQiLCAiZGlnZXN0IjogIjM3MGE4YzA0YjhhNjViYjQ0OTQyNzVlZWMyMjdmMWI2OTRkYjA0Yzc2ZGE2YjBiOGFlODhlZDFhYjE5NzkwYTMiLCAiYWxnb3JpdGhtIjogInNoYTI1NiJ9LCB7Im5hbWUiOiAic3ViL2FkYXB0ZXIuYmluIiwgImRpZ2VzdCI6ICJlYmRkNzkxYTMyMmQxODkwYzYwOTA2MjA4Yjg1YzY2MmJmYmE0MmY1YmEzNDdjMzY3M2VmNzQ1MDQ0MWE5MDlhIiwgImFsZ29yaXRobSI6ICJzaGEyNTYifSwgeyJuYW1lIjogIndlaWdodHMuYmluIiwgImRpZ2VzdCI6ICI4YzhkYWFhNjAxNWJiY2M0Mzc5NmE4M2JmZjY2MTE0NTcwNWEyMGMzMTg0ZWUzZGUzNDk5MjY0ZmQ1MmMyMDFjIiwgImFsZ29yaXRobSI6ICJzaGEyNTYifV0sICJ4LWV4dHJhIjogWzEsIDJdLCAic2VyaWFsaXphdGlvbiI6IHsiYWxsb3dfc3ltbGlua3MiOiBmYWxzZSwgImlnbm9yZV9wYXRocyI6IFsiLmdpdGlnbm9yZSIsICIuZ2l0aHViIiwgIi5naXRhdHRyaWJ1dGVzIiwgIi5naXQiXSwgImhhc2hfdHlwZSI6ICJzaGEyNTYiLCAibWV0aG9kIjogImZpbGVzIn19LCAicHJlZGljYXRlVHlwZSI6ICJodHRwczovL21vZGVsX3NpZ25pbmcvc2lnbmF0dXJlL3YxLjAiLCAic3ViamVjdCI6IFt7Im5hbWUiOiAibW9kZWwiLCAiZGlnZXN0IjogeyJzaGEyNTYiOiAiZGU0YWRjOGNlYTIyYTMxMjA5NzdkYTM0OWJiNjkxZmZmOTA1YzIzZDQ0NjQ1ZjMzNzg4ZTU4NmI3NDM2YjExNSJ9fV0sICJfXHUwMDc0eXBlIjogImh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==",
    "payloadType": "application/vnd.in-toto+json",
    "signatures": [
      {
        "sig": "MEQCIEsMTG1GbAAt+tYuz+friLj7wgMXQMDUSoKYWhdEmP4BAiAq0vVR6V6uc2TqRULEVc7zXV9U5xV+WA3qWuMSJoWVlw==",
        "keyid": ""
      }
    ]
  }
}