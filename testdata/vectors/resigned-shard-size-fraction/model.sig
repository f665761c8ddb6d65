{
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {
    "publicKey": {
      "hint": "7aa35d4ac09ee3d8460baa974dd6c513412cae3163eca09d5cf9eec326ee5930"
    },
    "tlogEntries": []
  },
  "dsseEnvelope": {
    "payload": "ewogICJfdHlwZSI6ICJodHRwczovL2luLXRvdG8uaW8vU3RhdGVtZW50L3YxIiwKICAic3ViamVjdCI6IFsKICAgIHsKICAgICAgIm5hbWUiOiAibW9kZWwiLAogICAgICAiZGlnZXN0IjogewogICAgICAgICJzaGEyNTYiOiAiYjlkMzA3OTIyNTUwNTJhZDRkYzZmY2VmYjc1Y2RlMDA0YzgwMjZiM2Q1MTcxODg4NmUxNjkxZWNiODRmYzhiYSIKICAgICAgfQogICAgfQogIF0sCiAgInByZWRpY2F0ZVR5cGUiOiAiaHR0cHM6Ly9tb2RlbF9zaWduaW5nL3NpZ25hdHVyZS92MS4wIiwKICAicHJlZGljYXRlIjogewogICAgInNlcmlhbGl6YXRpb24iOiB7CiAgICAgICJoYXNoX3R5cGUiOiAic2hhMjU2IiwKICAgICAgInNoYXJkX3NpemUiOiAxNi41LAogICAgICAibWV0aG9kIjogInNoYXJkcyIsCiAgICAgICJpZ25vcmVfcGF0aHMiOiBbCiAgICAgICAgIi5naXRpZ25vcmUiLAogICAgICAgICIuZ2l0aHViIiwKICAgICAgICAiLmdpdCIsCiAgICAgICAgIi5naXRhdHRyaWJ1dGVzIgogICAgICBdLAogICAgICAiYWxsb3dfc3ltbGlua3MiOiBmYWxzZQogICAgfSwKICAgICJyZXNvdXJjZXMiOiBbCiAgICAgIHsKICAgICAgICAiYWxnb3JpdGhtIjogInNoYTI1Ni1zaGFyZGVkLTEwMDAwMDAwMDAwMDAwMDAwIiwKICAgICAgICAibmFtZSI6ICJjb25maWcuanNvbjowOjMiLAogICAgICAgICJkaWdlc3QiOiAiY2EzZDE2M2JhYjA1NTM4MTgyNzIyNjE0MDU2OGYzYmVmN2VhYWMxODdjZWJkNzY4NzhlMGI2M2U5ZTQ0MjM1NiIKICAgICAgfSwKICAgICAgewogICAgICAgICJhbGdvcml0aG0iOiAic2hhMjU2LXNoYXJkZWQtMTAwMDAwMDAwMDAwMDAwMDAiLAogICAgICAgICJuYW1lIjogIndlaWdodHMuYmluOjA6MzAwMCIsCiAgICAgICAgImRpZ2VzdCI6ICIzNjdmYTRjOWVlMjI5YTNjNjgwZmQ4YWZiNTYzMjA3NzMyNjEyNmJiMzk3ZjJlZWEwMjM0ZmMzMDU2OWNjYWViIgogICAgICB9CiAgICBdCiAgfQp9",
    "payloadType": "application/vnd.in-toto+json",
    "signatures": [
      {
        "sig": "MEUCIC5zuDEwHaRgSvjr/5LV8x9teHcawxx7BKYCRdfdeIwLAiEAl2SQHbCnmNKOvxwR8rJhx/DCZgidMsqBlW81IINN90s=",
        "keyid": ""
      }
    ]
  }
}