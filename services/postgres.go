package services

var _ = register(&Service{
	Name:  "postgres",
	Order: 20,
	Image: "postgres:16",
	Ports: []Port{{Name: "postgres", Container: 5432, Host: 5632}},
})
